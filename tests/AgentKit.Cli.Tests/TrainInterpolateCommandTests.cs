using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using AgentKit.Training.Checkpoints;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit train interpolate</c>: a mixed checkpoint the other verbs read, and the refusals.</summary>
public sealed class TrainInterpolateCommandTests
{
    [Fact]
    public async Task Mixes_two_checkpoints_into_one_that_exports_to_gguf()
    {
        var (sft, tuned) = (TinyCheckpoint.Create(seed: 1), TinyCheckpoint.Create(seed: 2));
        var output = TinyModels.TempPath("mixed");

        var (exit, stdout, stderr) = await RunAsync("train", "interpolate", "--base", sft, "--tuned", tuned, "--weight", "0.25", "--out", output, "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal(0.25, report["weight"]!.GetValue<double>());
        Assert.True(report["distance"]!.GetValue<double>() > 0);
        Assert.True(CheckpointIO.IsCheckpoint(output));
        (exit, _, stderr) = await RunAsync("export", "gguf", "-c", output, "-o", output + ".gguf");
        Assert.True(exit == 0, stderr);
    }

    [Theory]
    [InlineData("--weight 1.5", "--weight: The weight must be between 0 and 1")]
    [InlineData("--weight 0.5 --tuned-missing", "is not a checkpoint directory")]
    [InlineData("", "--weight")]
    public async Task Bad_flags_exit_2_naming_the_flag(string flags, string message)
    {
        var sft = TinyCheckpoint.Create(seed: 1);
        var tuned = flags.Contains("--tuned-missing") ? Path.Combine(sft, "missing") : TinyCheckpoint.Create(seed: 2);
        var extra = flags.Replace("--tuned-missing", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var (exit, stdout, stderr) = await RunAsync(["train", "interpolate", "--base", sft, "--tuned", tuned, "--out", TinyModels.TempPath("mixed"), .. extra]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
    }
}
