using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests;

public sealed class CheckpointTests
{
    private static Tensor Tokens() => tensor(new long[] { 1, 5, 9, 200, 17, 3 }).unsqueeze(0);

    [Theory]
    [InlineData("llama", true)]
    [InlineData("qwen2", false)]
    public void Save_then_load_gives_identical_logits(string type, bool tied)
    {
        var dir = TinyFixtures.TempDir();
        using var model = new LlamaForCausalLM(TinyFixtures.Config(type, tied), seed: 4);
        CheckpointIO.Save(model, dir);
        using var loaded = CheckpointIO.Load(dir);
        model.eval();
        loaded.eval();
        using var input = Tokens();
        Assert.True(model.Logits(input).eq(loaded.Logits(input)).all().item<bool>());
        Assert.Equal(model.Config with { AttentionBias = model.Config.HasQkvBias, Architectures = loaded.Config.Architectures }, loaded.Config);
    }

    [Fact]
    public void Hf_named_sharded_bf16_safetensors_load()
    {
        var dir = TinyFixtures.TempDir();
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), seed: 8);
        model.Config.Save(Path.Combine(dir, CheckpointFiles.Config));
        var state = model.state_dict();
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", state.Keys);
        Assert.Contains("model.embed_tokens.weight", state.Keys);
        Assert.Contains("model.norm.weight", state.Keys);
        // Two shards, stored as bf16 like many HF checkpoints.
        var names = state.Keys.ToList();
        var shardA = names.Take(names.Count / 2).ToDictionary(n => n, n => state[n].to_type(ScalarType.BFloat16));
        var shardB = names.Skip(names.Count / 2).ToDictionary(n => n, n => state[n].to_type(ScalarType.BFloat16));
        Safetensors.SaveStateDict(Path.Combine(dir, "model-00001-of-00002.safetensors"), shardA);
        Safetensors.SaveStateDict(Path.Combine(dir, "model-00002-of-00002.safetensors"), shardB);
        var map = string.Join(",", names.Select((n, i) => $"\"{n}\":\"model-0000{(i < names.Count / 2 ? 1 : 2)}-of-00002.safetensors\""));
        File.WriteAllText(Path.Combine(dir, CheckpointFiles.WeightsIndex), $"{{\"metadata\":{{}},\"weight_map\":{{{map}}}}}");

        using var loaded = CheckpointIO.Load(dir);
        foreach (var (name, value) in loaded.state_dict())
        {
            Assert.Equal(ScalarType.Float32, value.dtype);
            Assert.True(value.allclose(state[name].to_type(ScalarType.BFloat16).to_type(ScalarType.Float32)), name);
        }
    }

    [Fact]
    public void Peft_adapter_round_trips_under_peft_names()
    {
        var dir = TinyFixtures.TempDir();
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), seed: 2);
        model.AddLora(new LoraSettings { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "o_proj"] });
        using (no_grad())
            foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("lora_B")))
                p.normal_(0, 0.1);
        CheckpointIO.Save(model, dir);
        var adapterKeys = Safetensors.LoadStateDict(Path.Combine(dir, CheckpointFiles.AdapterWeights)).Keys;
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", adapterKeys);
        using var loaded = CheckpointIO.Load(dir);
        Assert.True(loaded.HasLora);
        model.eval();
        loaded.eval();
        using var input = Tokens();
        Assert.True(model.Logits(input).allclose(loaded.Logits(input)));
    }

    [Fact]
    public void Corrupt_inputs_give_clear_errors()
    {
        var dir = TinyFixtures.TempDir();
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), seed: 2);
        CheckpointIO.Save(model, dir);
        var weights = Path.Combine(dir, CheckpointFiles.Weights);

        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<InvalidDataException>(() => CheckpointIO.Load(dir));
        Assert.Contains("truncated", truncated.Message);

        File.WriteAllBytes(weights, [.. BitConverter.GetBytes(20UL), .. "{not json at all!!!"u8.ToArray(), 0]);
        Assert.Contains("not JSON", Assert.Throws<InvalidDataException>(() => CheckpointIO.Load(dir)).Message);

        File.WriteAllText(Path.Combine(dir, CheckpointFiles.Config), """{"model_type":"llama","hidden_size":63,"num_attention_heads":4}""");
        Assert.Contains("hidden_size", Assert.Throws<InvalidDataException>(() => CheckpointIO.Load(dir)).Message);

        var smaller = TinyFixtures.TempDir();
        using (var other = new LlamaForCausalLM(TinyFixtures.Config() with { IntermediateSize = 96 }, seed: 1))
            CheckpointIO.Save(other, smaller);
        File.Copy(Path.Combine(smaller, CheckpointFiles.Weights), weights, overwrite: true);
        model.Config.Save(Path.Combine(dir, CheckpointFiles.Config));
        Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => CheckpointIO.Load(dir)).Message);

        var tokenizerPath = Path.Combine(dir, "tokenizer.json");
        File.WriteAllText(tokenizerPath, """{"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}""");
        Assert.Contains("byte", Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(tokenizerPath)).Message);
    }

    [Fact]
    public void Exported_q8_0_gguf_loads_and_corrupt_gguf_is_refused()
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = TinyFixtures.Tokenizer;
        using var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 3);
        var q8 = GgufExporter.Export(model, tokenizer, Path.Combine(dir, "m-q8.gguf"), new GgufExportOptions { Type = GgufExportType.Q8_0, Threads = 1 });
        var f32 = GgufExporter.Export(model, tokenizer, Path.Combine(dir, "m-f32.gguf"), new GgufExportOptions { Type = GgufExportType.F32 });
        Assert.True(new FileInfo(q8).Length < new FileInfo(f32).Length / 2);
        using (var reference = new LlamaCppReference(q8))
            Assert.Equal(tokenizer.Encode("hello world"), reference.Tokenize("hello world"));

        var corrupt = Path.Combine(dir, "corrupt.gguf");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(f32)[..200]);
        Assert.Throws<LLama.Exceptions.LoadWeightsFailedException>(() => new LlamaCppReference(corrupt));
    }
}
