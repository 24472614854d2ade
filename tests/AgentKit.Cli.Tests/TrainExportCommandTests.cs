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

    [Theory]
    [InlineData("train", "sft", "--data", "missing.jsonl", "--base", "missing", "--out", "o")]
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
