using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>PEFT LoRA adapters written in PEFT's exact file layout load onto the TorchSharp model with PEFT's math.</summary>
public sealed class PeftAdapterTests
{
    private const string Prefix = "base_model.model.";

    private static Tensor Tokens() => tensor(new long[] { 1, 5, 9, 200, 17, 3 }).unsqueeze(0);

    private static string BaseCheckpoint()
    {
        var dir = TinyFixtures.TempDir();
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), seed: 11);
        CheckpointIO.Save(model, dir);
        return dir;
    }

    // Small multiples of 1/64: exact in f16 and bf16, so every storage type must give the same result.
    private static TensorData Matrix(long rows, long cols, int salt) =>
        new([.. Enumerable.Range(0, (int)(rows * cols)).Select(i => ((i * 7 + salt * 13) % 17 - 8) / 64f)], [rows, cols]);

    private static Dictionary<string, TensorData> LoraTensors(int rank, IEnumerable<(string Module, long In, long Out)> modules)
    {
        var tensors = new Dictionary<string, TensorData>();
        var salt = 0;
        foreach (var (module, inFeatures, outFeatures) in modules)
        {
            tensors[$"{Prefix}{module}.lora_A.weight"] = Matrix(rank, inFeatures, ++salt);
            tensors[$"{Prefix}{module}.lora_B.weight"] = Matrix(outFeatures, rank, ++salt);
        }
        return tensors;
    }

    // hidden 64, 4 heads of 16, 2 KV heads: q/o are [64, 64], k/v [32, 64], gate/up [128, 64], down [64, 128].
    private static (string, long, long) Q(int layer) => ($"model.layers.{layer}.self_attn.q_proj", 64, 64);
    private static (string, long, long) V(int layer) => ($"model.layers.{layer}.self_attn.v_proj", 64, 32);
    private static (string, long, long) Gate(int layer) => ($"model.layers.{layer}.mlp.gate_proj", 64, 128);
    private static (string, long, long) Down(int layer) => ($"model.layers.{layer}.mlp.down_proj", 128, 64);

    /// <summary>W + scaling · B A for each adapted module, computed in plain C# from the file's numbers.</summary>
    private static Dictionary<string, float[]> ExpectedWeights(LlamaForCausalLM baseModel, Dictionary<string, TensorData> tensors, double scaling)
    {
        var state = baseModel.state_dict();
        var expected = new Dictionary<string, float[]>();
        foreach (var aName in tensors.Keys.Where(k => k.EndsWith(".lora_A.weight")))
        {
            var module = aName[Prefix.Length..^".lora_A.weight".Length];
            var a = tensors[aName];
            var b = tensors[$"{Prefix}{module}.lora_B.weight"];
            var w = state[module + ".weight"].data<float>().ToArray();
            long rank = a.Shape[0], inFeatures = a.Shape[1], outFeatures = b.Shape[0];
            for (var o = 0; o < outFeatures; o++)
                for (var i = 0; i < inFeatures; i++)
                {
                    double update = 0;
                    for (var r = 0; r < rank; r++)
                        update += b.Values[o * rank + r] * a.Values[r * inFeatures + i];
                    w[o * inFeatures + i] += (float)(scaling * update);
                }
            expected[module + ".weight"] = w;
        }
        return expected;
    }

    /// <summary>Logits of the base model with <paramref name="weights"/> written over its own: the reference output.</summary>
    private static Tensor ReferenceLogits(string baseDir, Dictionary<string, float[]> weights)
    {
        using var reference = CheckpointIO.Load(baseDir);
        var state = reference.state_dict();
        using (no_grad())
            foreach (var (name, values) in weights)
                state[name].copy_(tensor(values).reshape(state[name].shape));
        reference.eval();
        using var input = Tokens();
        return reference.Logits(input).detach();
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-5), $"max difference {(expected - actual).abs().max().item<float>()}");

    [Theory]
    [InlineData(SafetensorsType.F32)]
    [InlineData(SafetensorsType.F16)]
    [InlineData(SafetensorsType.BF16)]
    public void An_adapter_in_peft_layout_changes_the_output_as_W_plus_alpha_over_r_BA(SafetensorsType type)
    {
        var baseDir = BaseCheckpoint();
        var tensors = LoraTensors(4, [Q(0), V(0), Q(1), V(1)]);
        var adapterDir = TinyFixtures.TempDir();
        PeftAdapterFiles.Write(adapterDir, PeftAdapterFiles.Config(4, 8, "v_proj", "q_proj"), tensors, type);

        using var model = CheckpointIO.Load(baseDir);
        model.eval();
        using var input = Tokens();
        using var before = model.Logits(input).detach();
        var settings = PeftAdapter.Load(model, adapterDir);

        Assert.Equal(2.0, settings.Scaling);
        Assert.Equal(["q_proj", "v_proj"], settings.TargetModules); // in the model's order, whatever the config's
        Assert.Null(settings.LayersToTransform);
        using var adapted = model.Logits(input).detach();
        Assert.False(before.allclose(adapted, atol: 1e-3), "the adapter did not change the output");
        using var expected = ReferenceLogits(baseDir, ExpectedWeights(model, tensors, scaling: 8.0 / 4));
        AssertClose(expected, adapted);

        model.MergeLora();
        Assert.False(model.HasLora);
        using var merged = model.Logits(input).detach();
        AssertClose(expected, merged);
    }

    [Fact]
    public void Rslora_a_regex_target_and_layers_to_transform_follow_peft()
    {
        var baseDir = BaseCheckpoint();
        var tensors = LoraTensors(4, [Gate(1), Down(1)]);
        var config = PeftAdapterFiles.Config(4, 6);
        config["target_modules"] = @".*\.mlp\.(gate_proj|down_proj)";
        config["layers_to_transform"] = new JsonArray(1);
        config["use_rslora"] = true;
        var adapterDir = TinyFixtures.TempDir();
        PeftAdapterFiles.Write(adapterDir, config, tensors);

        using var model = CheckpointIO.Load(baseDir);
        var settings = PeftAdapter.Load(model, adapterDir);
        model.eval();

        Assert.Equal(3.0, settings.Scaling); // alpha / sqrt(r) = 6 / 2
        Assert.Equal([1], settings.LayersToTransform!);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.StartsWith("model.layers.0.") && k.Contains("lora_"));
        using var input = Tokens();
        using var adapted = model.Logits(input).detach();
        using var expected = ReferenceLogits(baseDir, ExpectedWeights(model, tensors, scaling: 3.0));
        AssertClose(expected, adapted);

        // The checkpoint AgentKit saves from it keeps the layers and the scaling.
        var saved = TinyFixtures.TempDir();
        CheckpointIO.Save(model, saved);
        using var reloaded = CheckpointIO.Load(saved);
        reloaded.eval();
        AssertClose(adapted, reloaded.Logits(input).detach());
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "shape", "model.layers.0.self_attn.q_proj.lora_A has shape [4, 48], this model needs [4, 64]" },
        { "stray-tensor", "holds tensor 'base_model.model.model.layers.5.self_attn.q_proj.lora_A.weight'" },
        { "missing-b", "lacks the LoRA weights of 1 targeted module(s), e.g. model.layers.1.self_attn.q_proj" },
        { "unknown-target", "target module(s) lm_head match no layer of this model" },
        { "dora", "DoRA adapters are not supported" },
        { "bias", "bias is 'lora_only'" },
        { "rank-pattern", "rank_pattern gives some modules their own rank" },
        { "rank", "lora_A has shape [4, 64], this model needs [8, 64]" },
        { "not-lora", "peft_type is 'IA3'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void An_adapter_that_does_not_fit_is_refused_and_leaves_the_model_unchanged(string flaw, string message)
    {
        var baseDir = BaseCheckpoint();
        var tensors = LoraTensors(4, [Q(0), Q(1)]);
        var config = PeftAdapterFiles.Config(4, 8, "q_proj");
        switch (flaw)
        {
            case "shape": tensors[$"{Prefix}model.layers.0.self_attn.q_proj.lora_A.weight"] = Matrix(4, 48, 1); break;
            case "stray-tensor": tensors[$"{Prefix}model.layers.5.self_attn.q_proj.lora_A.weight"] = Matrix(4, 64, 1); break;
            case "missing-b": tensors.Remove($"{Prefix}model.layers.1.self_attn.q_proj.lora_B.weight"); break;
            case "unknown-target": config["target_modules"] = new JsonArray("q_proj", "lm_head"); break;
            case "dora": config["use_dora"] = true; break;
            case "bias": config["bias"] = "lora_only"; break;
            case "rank-pattern": config["rank_pattern"] = new JsonObject { ["q_proj"] = 2 }; break;
            case "rank": config["r"] = 8; break;
            case "not-lora": config["peft_type"] = "IA3"; break;
        }
        var adapterDir = TinyFixtures.TempDir();
        PeftAdapterFiles.Write(adapterDir, config, tensors);

        using var model = CheckpointIO.Load(baseDir);
        var error = Assert.Throws<InvalidDataException>(() => PeftAdapter.Load(model, adapterDir));

        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(model.HasLora);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("lora_"));
    }

    [Fact]
    public void A_folder_without_the_weights_names_the_missing_file()
    {
        var adapterDir = TinyFixtures.TempDir();
        File.WriteAllText(Path.Combine(adapterDir, CheckpointFiles.AdapterConfig), PeftAdapterFiles.Config(4, 8, "q_proj").ToJsonString());
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), seed: 1);
        var error = Assert.Throws<FileNotFoundException>(() => PeftAdapter.Load(model, adapterDir));
        Assert.Contains(CheckpointFiles.AdapterWeights, error.Message);
    }
}
