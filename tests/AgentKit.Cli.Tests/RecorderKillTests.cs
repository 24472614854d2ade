using System.Diagnostics;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// Crash safety of the trajectory recorder against a real kill: a recording process (`agentkit atlas teach`,
/// which runs the real loop, sandbox and index; `agentkit run`, which records each step) is killed mid-run, and
/// everything it wrote reads back.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed class RecorderKillTests
{
    [Fact]
    public async Task Killing_a_recording_process_loses_nothing_already_recorded()
    {
        var output = TinyModels.TempPath("killed.jsonl");
        var root = AgentCli.RepoRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "agentkit.dll"), "atlas", "teach",
                "--questions", Path.Combine(root, "agents", "atlas", "questions", "test.jsonl"),
                "--agent", Path.Combine(root, "agents", "atlas"), "--out", output, "--parallel", "1", "--timeout-ms", "20000",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // Kill -9 once a few runs are on disk, while the next ones are being recorded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (JsonlFiles.CompleteLines(output) < 3 && !process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        // (Awaiting stderr for the message would wait for the process to end: only read it once it has.)
        if (process.HasExited)
            Assert.Fail("the recorder stopped by itself: " + await stderr);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var linesAtKill = JsonlFiles.CompleteLines(output);
        Assert.True(linesAtKill >= 3, $"only {linesAtKill} runs recorded before the deadline");

        var read = JsonlTrajectoryReader.Read(output);
        Assert.Equal(linesAtKill, read.Records.Count);
        Assert.All(read.Records, r => Assert.False(string.IsNullOrEmpty(r.Task.Question)));
        Assert.True(read.Warnings.Count <= 1, string.Join("\n", read.Warnings)); // at most the line being written
    }

    [Fact]
    public async Task Killing_a_run_keeps_every_step_that_finished()
    {
        var trajectory = TinyModels.TempPath("killed-run.jsonl");
        // A random model never calls FinalAnswer: with a high step limit the run goes on until it is killed.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "agentkit.dll"), "run", "--agent", AgentCli.ExampleAgent,
                "--model", TinyModels.RandomLlamaPath(), "--max-steps", "100", "--threads", "1", "--context", "16384",
                "--trajectory", trajectory, "Which two rivers meet at Lyon?",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (JsonlFiles.CompleteLines(trajectory) < 2 && !process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        if (process.HasExited)
            Assert.Fail("the run stopped by itself: " + await stderr);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var linesAtKill = JsonlFiles.CompleteLines(trajectory);
        Assert.True(linesAtKill >= 2, $"only {linesAtKill} steps recorded before the deadline");

        var read = JsonlTrajectoryReader.Read(trajectory);
        var run = Assert.Single(read.Records); // every line is the same run, each with one more step
        Assert.True(UnfinishedRun.IsUnfinished(run), run.Error);
        Assert.Equal(linesAtKill, run.Steps.OfType<ActionStep>().Count());
        Assert.Equal(Enumerable.Range(1, linesAtKill), run.Steps.OfType<ActionStep>().Select(s => s.Step));
        Assert.True(read.Warnings.Count <= 1, string.Join("\n", read.Warnings)); // at most the step being written
        // The steps the terminal showed before the kill are the steps on disk (the printer runs before the write returns).
        Assert.True((await stdout).Split("── step ").Length - 1 >= linesAtKill);
    }
}
