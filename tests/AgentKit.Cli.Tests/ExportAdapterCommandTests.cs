using System.Text.Json;
using AgentKit.Models.Gguf;
using AgentKit.TestUtils;
using AgentKit.Training.Checkpoints;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit export gguf --adapter</c>: a PEFT adapter trained elsewhere merged into the exported model.</summary>
public sealed class ExportAdapterCommandTests
{
    private const string VProj = "model.layers.0.self_attn.v_proj";

    // The tiny checkpoint: hidden 32, 2 heads of 16, 1 KV head, so v_proj is [16, 32].
    private static (string Dir, TensorData A, TensorData B) Adapter(int inFeatures = 32)
    {
        var a = new TensorData([.. Enumerable.Range(0, 2 * inFeatures).Select(i => (i % 5 - 2) / 8f)], [2, inFeatures]);
        var b = new TensorData([.. Enumerable.Range(0, 16 * 2).Select(i => (i % 3 - 1) / 4f)], [16, 2]);
        var dir = TinyModels.TempPath("peft-adapter");
        PeftAdapterFiles.Write(dir, PeftAdapterFiles.Config(rank: 2, alpha: 4, "v_proj"), new Dictionary<string, TensorData>
        {
            [$"base_model.model.{VProj}.lora_A.weight"] = a,
            [$"base_model.model.{VProj}.lora_B.weight"] = b,
        }, SafetensorsType.BF16);
        return (dir, a, b);
    }

    private static float[] GgufTensor(string path, string name)
    {
        var file = GgufReader.Read(path);
        var info = file.Tensors.Single(t => t.Name == name);
        Assert.Equal(GgmlType.F32, info.Type);
        using var stream = File.OpenRead(path);
        stream.Position = file.DataOffset + info.Offset;
        var bytes = new byte[info.ByteSize];
        stream.ReadExactly(bytes);
        return [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes)];
    }

    [Fact]
    public async Task The_exported_gguf_holds_W_plus_alpha_over_r_BA()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 6);
        var (adapter, a, b) = Adapter();
        var gguf = TinyModels.TempPath("merged.gguf");

        var (exit, stdout, stderr) = await RunAsync("export", "gguf", "--checkpoint", checkpoint, "--adapter", adapter, "--out", gguf, "--type", "f32", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(adapter, JsonDocument.Parse(stdout).RootElement.GetProperty("adapter").GetString());
        float[] w;
        var weights = CheckpointIO.ReadWeights(checkpoint);
        try
        {
            w = weights[VProj + ".weight"].data<float>().ToArray();
        }
        finally
        {
            foreach (var t in weights.Values)
                t.Dispose();
        }
        var exported = GgufTensor(gguf, "blk.0.attn_v.weight"); // V rows are not permuted by the export
        for (var o = 0; o < 16; o++)
            for (var i = 0; i < 32; i++)
            {
                var update = 2.0 * (b.Values[o * 2] * a.Values[i] + b.Values[o * 2 + 1] * a.Values[32 + i]); // alpha / r = 4 / 2
                Assert.Equal(w[o * 32 + i] + update, exported[o * 32 + i], 5);
            }
    }

    [Fact]
    public async Task An_adapter_for_another_model_fails_with_one_line_and_a_missing_folder_is_a_usage_error()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 6);
        var gguf = TinyModels.TempPath("never.gguf");

        var (exit, _, stderr) = await RunAsync("export", "gguf", "--checkpoint", checkpoint, "--adapter", Adapter(inFeatures: 48).Dir, "--out", gguf);
        Assert.Equal(1, exit);
        Assert.Contains("v_proj.lora_A has shape [2, 48], this model needs [2, 32]", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(File.Exists(gguf));

        (exit, _, stderr) = await RunAsync("export", "gguf", "--checkpoint", checkpoint, "--adapter", TinyModels.TempPath("nothing"), "--out", gguf);
        Assert.Equal(2, exit);
        Assert.Contains("is not a PEFT adapter folder", stderr);
    }
}
