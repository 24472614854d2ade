using AgentKit.Models.Gguf;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Model;

namespace AgentKit.Training.Tests.Export;

public sealed class CheckpointExportTests
{
    [Fact]
    public void A_checkpoint_with_its_tokenizer_becomes_a_gguf_llama_cpp_can_read()
    {
        var dir = Checkpoint(withTokenizer: true);
        var output = Path.Combine(TinyFixtures.TempDir(), "model.gguf");

        var report = CheckpointExport.Run(new CheckpointExportOptions { Checkpoint = dir, Output = output, Type = GgufExportType.F32 }.Validate());

        var info = GgufInfo.Read(output);
        Assert.Equal(("f32", "llama", new FileInfo(output).Length), (report.Type, report.Architecture, report.Bytes));
        Assert.Equal("llama", info.Architecture);
        Assert.Equal(report.Parameters, info.Parameters);
        Assert.Null(report.Adapter);
    }

    [Fact]
    public void Folders_that_are_not_what_they_must_be_are_refused_before_anything_loads()
    {
        var noTokenizer = Checkpoint(withTokenizer: false);
        var empty = TinyFixtures.TempDir();
        var withTokenizer = Checkpoint(withTokenizer: true);

        Assert.Contains("is not a checkpoint directory", Refused(new CheckpointExportOptions { Checkpoint = empty, Output = "x.gguf" }));
        Assert.Contains("has no tokenizer.json", Refused(new CheckpointExportOptions { Checkpoint = noTokenizer, Output = "x.gguf" }));
        Assert.Contains("is not a PEFT adapter folder", Refused(new CheckpointExportOptions { Checkpoint = withTokenizer, Output = "x.gguf", Adapter = empty }));
    }

    private static string Refused(CheckpointExportOptions options) => Assert.Throws<ArgumentException>(() => CheckpointExport.Run(options)).Message;

    private static string Checkpoint(bool withTokenizer)
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = TinyFixtures.Tokenizer;
        using (var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 4))
            CheckpointIO.Save(model, dir);
        if (withTokenizer)
            tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        return dir;
    }
}
