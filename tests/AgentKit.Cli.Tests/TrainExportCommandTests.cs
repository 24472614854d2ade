using System.Text.Json;
using AgentKit.TestUtils;
using AgentKit.Training.Tokenization;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit train tokenizer</c>, <c>train sft</c> and <c>export gguf</c> from the command line.</summary>
public sealed class TrainExportCommandTests
{
    [Fact]
    public async Task Train_tokenizer_writes_a_tokenizer_that_round_trips()
    {
        var text = TinyModels.TempPath("corpus.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("The capital of Peru is Lima. Grüße! var x = 1;\n", 20)));
        var output = TinyModels.TempPath("tokenizer.json");

        var (exit, _, stderr) = await RunAsync("train", "tokenizer", "--input", text, "--vocab-size", "300", "--out", output);

        Assert.True(exit == 0, stderr);
        var tokenizer = ByteLevelBpeTokenizer.Load(output);
        Assert.Equal("Grüße aus Lima", tokenizer.Decode(tokenizer.Encode("Grüße aus Lima")));
    }

    [Fact]
    public async Task Export_gguf_writes_a_model_that_model_info_reads()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 4);
        var gguf = TinyModels.TempPath("exported.gguf");

        var export = await RunAsync("export", "gguf", "--checkpoint", checkpoint, "--out", gguf, "--type", "f16");
        Assert.True(export.Exit == 0, export.Err);

        var info = await RunAsync("model", "info", gguf, "--json");
        Assert.True(info.Exit == 0, info.Err);
        using var json = JsonDocument.Parse(info.Out);
        Assert.Equal("llama", json.RootElement.GetProperty("architecture").GetString());
    }

    [Fact]
    public async Task Export_hf_writes_a_folder_the_checkpoint_reader_loads()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 5);
        var output = TinyModels.TempPath("hf");

        var export = await RunAsync("export", "hf", "--checkpoint", checkpoint, "--out", output, "--dtype", "bf16", "--max-shard-size", "20KB", "--json");
        Assert.True(export.Exit == 0, export.Err);

        using var json = JsonDocument.Parse(export.Out);
        Assert.Equal("bf16", json.RootElement.GetProperty("type").GetString());
        Assert.True(json.RootElement.GetProperty("shards").GetInt32() > 1);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors.index.json")));
        Assert.True(File.Exists(Path.Combine(output, "tokenizer_config.json")));
        using var model = AgentKit.Training.Checkpoints.CheckpointIO.Load(output);
        Assert.Equal("bfloat16", model.Config.TorchDtype);
    }

    [Theory]
    [InlineData("train", "sft", "--data", "missing.jsonl", "--base", "missing", "--out", "o")]
    [InlineData("train", "sft", "--data", "missing.jsonl", "--init", "missing", "--out", "o")]
    [InlineData("export", "hf", "--checkpoint", "missing-dir", "--out", "hf")]
    [InlineData("export", "hf", "--checkpoint", "missing-dir", "--out", "hf", "--max-shard-size", "lots")]
    [InlineData("export", "hf", "--checkpoint", "missing-dir", "--out", "hf", "--dtype", "q8_0")]
    [InlineData("bench", "train", "--shape", "gpt-5")]
    [InlineData("bench", "train", "--lora-rank", "8")]
    [InlineData("train", "tokenizer", "--input", "missing.txt", "--out", "t.json")]
    [InlineData("train", "tokenizer", "--input", "x.txt")]
    [InlineData("export", "gguf", "--checkpoint", "missing-dir", "--out", "m.gguf")]
    [InlineData("export", "gguf", "--out", "m.gguf")]
    [InlineData("fuzz", "--target", "missing.dll", "--harness", "json", "--out", "d", "--seconds", "1")]
    [InlineData("fuzz", "--target", "Newtonsoft.Json@13.0.3", "--harness", "json", "--out", "d", "--seconds", "0")]
    [InlineData("fuzz", "replay", "missing-input")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("error:", stderr);
    }
}
