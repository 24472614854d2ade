using AgentKit.Abstractions.Models;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Generation;
using AgentKit.Training.Model;
using AgentKit.TestUtils;

namespace AgentKit.Training.Tests.Generation;

public sealed class ModelBackendTests
{
    [Theory]
    [InlineData(null, null, null, "give exactly one of --model")]
    [InlineData("GGUF", "http://127.0.0.1:1/v1", null, "give exactly one of --model")]
    [InlineData(null, "http://127.0.0.1:1/v1", null, "--endpoint needs --model-name")]
    [InlineData("GGUF", null, "name", "--model-name only applies to --endpoint")]
    [InlineData(null, "relative/v1", "name", "--endpoint must be an absolute URL")]
    [InlineData(null, "ftp://127.0.0.1/v1", "name", "--endpoint: Endpoint must be an absolute http or https URL")]
    [InlineData("/nonexistent/m.gguf", null, null, "model file not found: /nonexistent/m.gguf")]
    public void Inconsistent_backend_options_are_refused_naming_the_flag(string? model, string? endpoint, string? name, string expected)
    {
        var options = new ModelBackendOptions { ModelPath = model == "GGUF" ? TinyModels.RandomLlamaPath() : model, Endpoint = endpoint, ModelName = name };

        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Placement_and_llama_settings_are_checked_against_the_model_kind()
    {
        var checkpoint = WriteCheckpoint();
        var gguf = TinyModels.RandomLlamaPath();
        var folder = TinyFixtures.TempDir();

        Assert.StartsWith("--gpu-layers applies to a GGUF", Assert.Throws<ArgumentException>(() => new ModelBackendOptions { ModelPath = checkpoint, GpuLayerCount = 1 }.Validate()).Message);
        Assert.StartsWith("--device applies to a TorchSharp checkpoint", Assert.Throws<ArgumentException>(() => new ModelBackendOptions { ModelPath = gguf, Device = ComputeDevice.Cuda }.Validate()).Message);
        Assert.Contains("not a training checkpoint", Assert.Throws<ArgumentException>(() => new ModelBackendOptions { ModelPath = folder }.Validate()).Message);
        Assert.StartsWith("ContextSize", Assert.Throws<ArgumentException>(() => new ModelBackendOptions { ModelPath = gguf, ContextSize = 8 }.Validate()).Message);
    }

    [Fact]
    public async Task Each_kind_of_model_opens_its_own_backend()
    {
        using (var local = (IDisposable)ModelBackend.Open(new ModelBackendOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 256, Threads = 1 }))
            Assert.IsType<LlamaSharpGenerator>(local);
        using (var remote = (IDisposable)ModelBackend.Open(new ModelBackendOptions { Endpoint = "http://127.0.0.1:1/v1", ModelName = "m", ApiKey = "k" }))
            Assert.Equal("m", Assert.IsType<OpenAICompatibleGenerator>(remote).Model.Name);

        using var checkpoint = (IDisposable)ModelBackend.Open(new ModelBackendOptions { ModelPath = WriteCheckpoint() });
        var result = await Assert.IsType<TorchSharpGenerator>(checkpoint).GenerateAsync(new CandidateRequest { Prompt = "The", N = 2, Seed = 1, MaxTokens = 3 });
        Assert.Equal(2, result.Candidates.Count);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_invalid_data_with_the_loaders_message()
    {
        var path = Path.Combine(TinyFixtures.TempDir(), "broken.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(TinyModels.RandomLlamaPath())[..200]);

        var error = Assert.Throws<InvalidDataException>(() => ModelBackend.Open(new ModelBackendOptions { ModelPath = path }));

        Assert.Contains("broken.gguf", error.Message);
    }

    private static string WriteCheckpoint()
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = TinyFixtures.Tokenizer;
        using (var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 3))
            CheckpointIO.Save(model, dir);
        tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        return dir;
    }
}
