using System.Text.Json.Nodes;
using AgentKit.Models.Gguf;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Tests.Checkpoints;
using AgentKit.Training.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Export;

/// <summary>
/// HF Qwen2 in, GGUF out: the tiny HF checkpoint fine-tuned with LoRA, exported as f16 and q8_0, run by llama.cpp
/// (LLamaSharp) on the same tokens as TorchSharp.
/// </summary>
public sealed class Qwen2StudentTests(ITestOutputHelper output)
{
    // Max |logit difference| allowed, as a fraction of the largest |logit| TorchSharp produces on the same tokens.
    // Measured 2.8e-4 (f16) and 5.0e-3 (q8_0): f16 rounds the weights to 11 significant bits, q8_0 to 8-bit blocks of 32.
    private const double F16Tolerance = 0.002;
    private const double Q8Tolerance = 0.02;

    private static string Prompt(int i) => ChatFormat.Render(
        [("system", "Answer in one word."), ("user", TinyQwen2Student.Facts[i].Q)], addGenerationPrompt: true);

    [Fact]
    public void Lora_sft_on_the_hf_checkpoint_keeps_the_paper_recipe_and_the_tokenizer_files()
    {
        var student = TinyQwen2Student.Instance;
        output.WriteLine($"steps {student.Report.Steps}, loss {student.Report.FirstTrainLoss} -> {student.Report.FinalTrainLoss}, trainable {student.Report.TrainableParameters:N0}");
        var adapter = JsonNode.Parse(File.ReadAllText(Path.Combine(student.Final, CheckpointFiles.AdapterConfig)))!;
        Assert.Equal(64, (int)adapter["r"]!);
        Assert.Equal(128, (double)adapter["lora_alpha"]!);
        Assert.Equal(AgentKit.Training.Model.LoraSettings.AllLinear.Order(), adapter["target_modules"]!.AsArray().Select(n => (string)n!).Order());
        Assert.Equal(TinyQwen2Checkpoint.ChatTemplate, ChatTemplateFile.Read(student.Final));
        Assert.IsType<HfTokenizer>(TokenizerLoader.Load(student.Final));
        // Only the adapters of all 7 projections of every layer train.
        Assert.Equal(ExpectedLoraParameters(student.Base.Config), student.Report.TrainableParameters);
        Assert.True(student.Report.FinalTrainLoss < student.Report.FirstTrainLoss, "the loss should fall over 2 epochs");
    }

    private static long ExpectedLoraParameters(AgentKit.Training.Model.LlamaConfig c)
    {
        long d = c.HiddenSize, kv = (long)c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize, r = 64;
        long perLayer = r * (d + d) + r * (d + kv) * 2 + r * (d + d) + r * (d + i) * 2 + r * (i + d);
        return perLayer * c.NumHiddenLayers;
    }

    [Theory]
    [InlineData(GgufExportType.F16, F16Tolerance)]
    [InlineData(GgufExportType.Q8_0, Q8Tolerance)]
    public void Exported_gguf_gives_torchsharps_logits_in_llama_cpp(GgufExportType type, double tolerance)
    {
        var student = TinyQwen2Student.Instance;
        var path = Path.Combine(TinyFixtures.TempDir(), "student.gguf");
        var report = CheckpointExport.Run(new CheckpointExportOptions { Checkpoint = student.Final, Output = path, Type = type, Threads = 2 }.Validate());
        Assert.Equal("qwen2", report.Architecture);

        var file = GgufReader.Read(path);
        Assert.Equal("qwen2", file.Architecture);
        Assert.Equal("qwen2", file["tokenizer.ggml.pre"]!.AsString());
        Assert.Equal(TinyQwen2Checkpoint.ChatTemplate, file["tokenizer.chat_template"]!.AsString());
        Assert.Equal(1_000_000f, file["qwen2.rope.freq_base"]!.Value);
        Assert.Contains(file.Tensors, t => t.Name == "blk.1.attn_k.bias");
        Assert.DoesNotContain(file.Tensors, t => t.Name == "output.weight"); // tied embeddings

        var tokenizer = TokenizerLoader.Load(student.Final);
        using var merged = CheckpointIO.Load(student.Final);
        merged.MergeLora();
        merged.eval();
        using var baseline = CheckpointIO.Load(student.Base.Directory);
        baseline.eval();
        using var reference = new LlamaCppReference(path);
        double worst = 0, fineTuned = 0;
        foreach (var i in new[] { 0, 7 })
        {
            var tokens = tokenizer.Encode(Prompt(i) + TinyQwen2Student.Facts[i].A);
            var expected = reference.Logits(tokens);
            using var input = tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0);
            using var ours = merged.Logits(input)[0];
            using var before = baseline.Logits(input)[0];
            using var theirs = tensor(expected.SelectMany(row => row).ToArray()).reshape(ours.shape);
            var scale = ours.abs().max().item<float>();
            worst = Math.Max(worst, (ours - theirs).abs().max().item<float>() / scale);
            fineTuned = Math.Max(fineTuned, (ours - before).abs().max().item<float>() / scale);
        }
        output.WriteLine($"{type}: {new FileInfo(path).Length:N0} bytes; max |logit difference| = {worst:E2} of max |logit|; fine-tuning moved logits by {fineTuned:E2}");
        Assert.True(worst < tolerance, $"{type}: logits differ by {worst:E2} of the largest logit (allowed {tolerance})");
        // The comparison would notice an export that dropped the fine-tuned adapters.
        Assert.True(fineTuned > 2 * tolerance, $"fine-tuning moved the logits by only {fineTuned:E2}");
    }

    [Fact]
    public void Hf_qwen2_tokenizer_gives_llama_cpps_qwen2_ids()
    {
        var student = TinyQwen2Student.Instance;
        var path = Path.Combine(TinyFixtures.TempDir(), "tok.gguf");
        CheckpointExport.Run(new CheckpointExportOptions { Checkpoint = student.Base.Directory, Output = path, Type = GgufExportType.F16 }.Validate());
        var tokenizer = Assert.IsType<HfTokenizer>(TokenizerLoader.Load(student.Base.Directory));
        using var reference = new LlamaCppReference(path);
        string[] texts =
        [
            .. TinyFixtures.Corpus, "123456789 and 3.14159", "I'M SHOUTING'S 'quoted' It'S", "line\n\n\nbreaks\r\n  indented\n",
            "  leading and trailing  ", "<|im_start|>user\nhi 42<|im_end|>\n", "naïve café — “quotes”", "x=>x*2; if(a&&b||c){}",
            "日本語のテキストと한국어", "🙂 emoji", "tabs\t\tand\t\n\tnewlines",
        ];
        foreach (var text in texts)
        {
            var ours = tokenizer.Encode(text);
            Assert.Equal(text, tokenizer.Decode(ours));
            var theirs = reference.Tokenize(text);
            Assert.True(ours.SequenceEqual(theirs), $"ids differ for {text}: ours [{string.Join(",", ours)}] llama.cpp [{string.Join(",", theirs)}]");
        }
        // The Qwen2 split differs from GPT-2's on these, so the test would notice the wrong pre-tokenizer.
        var gpt2 = ByteLevelBpeTokenizer.Load(Path.Combine(student.Base.Directory, TokenizerLoader.FileName));
        Assert.Contains(texts, t => !gpt2.Encode(t).SequenceEqual(tokenizer.Encode(t)));
    }
}
