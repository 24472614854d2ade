using System.Diagnostics;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// Crash safety of the trajectory recorder against a real kill: a recording process (`agentkit atlas teach`,
/// which runs the real loop, sandbox and index) is killed mid-run, and everything it wrote reads back.
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
        while (CompleteLines(output) < 3 && !process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.False(process.HasExited, "the recorder stopped by itself: " + await stderr);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var linesAtKill = CompleteLines(output);
        Assert.True(linesAtKill >= 3, $"only {linesAtKill} runs recorded before the deadline");

        var read = JsonlTrajectoryReader.Read(output);
        Assert.Equal(linesAtKill, read.Records.Count);
        Assert.All(read.Records, r => Assert.False(string.IsNullOrEmpty(r.Task.Question)));
        Assert.True(read.Warnings.Count <= 1, string.Join("\n", read.Warnings)); // at most the line being written
    }

    private static int CompleteLines(string path)
    {
        if (!File.Exists(path))
            return 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = 0;
        for (var b = stream.ReadByte(); b >= 0; b = stream.ReadByte())
            if (b == '\n')
                count++;
        return count;
    }
}
