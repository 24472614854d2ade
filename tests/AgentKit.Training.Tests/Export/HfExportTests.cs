using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Tests.Checkpoints;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Export;

/// <summary>HF out: the fine-tuned Qwen2 student written as transformers/PEFT folders and read back bit for bit.</summary>
public sealed class HfExportTests
{
    [Fact]
    public void Sharded_f32_base_and_peft_adapter_reload_bit_exact()
    {
        var student = TinyQwen2Student.Instance;
        var output = Path.Combine(TinyFixtures.TempDir(), "hf");
        var report = HfExport.Run(new HfExportOptions { Checkpoint = student.Final, Output = output, MaxShardBytes = 100_000 }.Validate());
        Assert.True(report.Shards > 1, "a 100 kB shard limit should split the tiny model");
        Assert.Equal(Path.Combine(output, HfExport.AdapterFolder), report.AdapterOutput);
        Assert.True(File.Exists(Path.Combine(output, CheckpointFiles.WeightsIndex)));
        Assert.False(File.Exists(Path.Combine(output, CheckpointFiles.AdapterConfig)), "the base folder must stay a plain transformers model");
        Assert.All(Directory.GetFiles(output, "*.safetensors"), file => Assert.Equal("pt", (string?)Header(file)["__metadata__"]?["format"]));
        Assert.Equal(TinyQwen2Checkpoint.ChatTemplate, ChatTemplateFile.Read(output));
        Assert.Equal(File.ReadAllText(Path.Combine(student.Final, TokenizerLoader.FileName)), File.ReadAllText(Path.Combine(output, TokenizerLoader.FileName)));
        var adapterConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(output, HfExport.AdapterFolder, CheckpointFiles.AdapterConfig)))!;
        Assert.Equal(Path.GetFullPath(output), (string?)adapterConfig["base_model_name_or_path"]);
        Assert.Contains("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight", Header(Path.Combine(output, HfExport.AdapterFolder, CheckpointFiles.AdapterWeights)).Select(p => p.Key));

        using var source = CheckpointIO.Load(student.Final);
        using var reloaded = CheckpointIO.Load(output);
        Assert.False(reloaded.HasLora);
        Assert.Equal("float32", JsonNode.Parse(File.ReadAllText(Path.Combine(output, CheckpointFiles.Config)))!["torch_dtype"]!.ToString());
        PeftAdapter.Load(reloaded, Path.Combine(output, HfExport.AdapterFolder));
        var expected = source.state_dict();
        var actual = reloaded.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(BitExact(tensor, actual[name]), $"{name} is not bit-exact after the round trip");
    }

    [Fact]
    public void Merged_bf16_export_reloads_as_the_bf16_rounding_of_the_merged_model()
    {
        var student = TinyQwen2Student.Instance;
        var output = Path.Combine(TinyFixtures.TempDir(), "hf-merged");
        var report = HfExport.Run(new HfExportOptions { Checkpoint = student.Final, Output = output, Merge = true, DType = ScalarType.BFloat16 }.Validate());
        Assert.Null(report.AdapterOutput);
        Assert.Equal(1, report.Shards);
        Assert.False(Directory.Exists(Path.Combine(output, HfExport.AdapterFolder)));
        Assert.Equal("BF16", (string?)Header(Path.Combine(output, CheckpointFiles.Weights))["model.norm.weight"]!["dtype"]);

        using var merged = CheckpointIO.Load(student.Final);
        merged.MergeLora();
        using var reloaded = CheckpointIO.Load(output);
        Assert.Equal("bfloat16", reloaded.Config.TorchDtype);
        foreach (var (name, tensor) in merged.state_dict())
            Assert.True(BitExact(tensor.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32), reloaded.state_dict()[name]), $"{name} is not the bf16 rounding of the merged weights");
    }

    [Fact]
    public void A_folder_with_files_is_refused_and_a_failed_export_leaves_nothing()
    {
        var student = TinyQwen2Student.Instance;
        var busy = TinyFixtures.TempDir();
        File.WriteAllText(Path.Combine(busy, "keep.txt"), "x");
        var error = Assert.Throws<ArgumentException>(() => new HfExportOptions { Checkpoint = student.Final, Output = busy }.Validate());
        Assert.Contains("not empty", error.Message);

        // An adapter for another shape fails after loading; no output folder (or staging folder) is left behind.
        var adapter = Path.Combine(TinyFixtures.TempDir(), "wrong-adapter");
        TestUtils.PeftAdapterFiles.Write(adapter, TestUtils.PeftAdapterFiles.Config(4, 8, "q_proj"), new Dictionary<string, TestUtils.TensorData>
        {
            ["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"] = new(new float[4 * 3], [4, 3]),
            ["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"] = new(new float[3 * 4], [3, 4]),
        });
        var parent = TinyFixtures.TempDir();
        var output = Path.Combine(parent, "hf");
        Assert.Throws<InvalidDataException>(() => HfExport.Run(new HfExportOptions { Checkpoint = student.Final, Output = output, Adapter = adapter }.Validate()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    private static bool BitExact(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    private static JsonObject Header(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
    }
}
