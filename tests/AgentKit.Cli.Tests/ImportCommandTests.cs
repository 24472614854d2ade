using System.Text.Json;
using AgentKit.TestUtils;
using AgentKit.Training.Checkpoints;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit import gguf</c> from the command line.</summary>
public sealed class ImportCommandTests
{
    [Fact]
    public async Task Import_gguf_writes_a_checkpoint_that_exports_again()
    {
        var gguf = TinyModels.TempPath("exported.gguf");
        var export = await RunAsync("export", "gguf", "--checkpoint", TinyCheckpoint.Create(seed: 5), "--out", gguf, "--type", "f32");
        Assert.True(export.Exit == 0, export.Err);
        var imported = TinyModels.TempPath("imported");

        var (exit, stdout, stderr) = await RunAsync("import", "gguf", gguf, "--out", imported, "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("llama", json.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("layers").GetInt32());
        Assert.True(CheckpointIO.IsCheckpoint(imported));
        var again = await RunAsync("export", "gguf", "--checkpoint", imported, "--out", TinyModels.TempPath("again.gguf"));
        Assert.True(again.Exit == 0, again.Err);
    }

    [Fact]
    public async Task A_file_that_is_not_gguf_fails_with_exit_1_and_one_line()
    {
        var notGguf = TinyModels.TempPath("not.gguf");
        File.WriteAllText(notGguf, "hello");

        var (exit, _, stderr) = await RunAsync("import", "gguf", notGguf, "--out", TinyModels.TempPath("out"));

        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("import", "gguf", "missing.gguf", "--out", "o")]
    [InlineData("import", "gguf", "--out", "o")]
    [InlineData("import", "gguf", "model.gguf")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("error:", stderr);
    }
}
