using System.Text.Json;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit generate --model DIR</c> on a TorchSharp training checkpoint.</summary>
public sealed class GenerateCheckpointTests
{
    [Fact]
    public async Task Generates_from_a_training_checkpoint_directory()
    {
        var dir = TinyCheckpoint.Create(seed: 3);

        var (exit, stdout, stderr) = await RunAsync("generate", "--model", dir, "--prompt", "hello", "--n", "2", "--seed", "1", "--max-tokens", "5", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var completions = json.RootElement.GetProperty("completions").EnumerateArray().ToList();
        Assert.Equal(2, completions.Count);
        Assert.All(completions, c => Assert.InRange(c.GetProperty("tokens").GetInt32(), 1, 5));
    }

    [Fact]
    public async Task A_directory_that_is_not_a_checkpoint_is_a_usage_error()
    {
        var dir = TinyModels.TempPath("not-a-checkpoint");
        Directory.CreateDirectory(dir);

        var (exit, _, stderr) = await RunAsync("generate", "--model", dir, "--prompt", "x");

        Assert.Equal(2, exit);
        Assert.Contains("not a training checkpoint", stderr);
    }
}
