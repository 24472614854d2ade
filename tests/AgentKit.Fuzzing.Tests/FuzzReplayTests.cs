namespace AgentKit.Fuzzing.Tests;

public sealed class FuzzReplayTests
{
    [Fact]
    public async Task A_saved_crash_replays_with_its_exception_and_a_rejection_is_not_a_bug()
    {
        var (_, dir) = ToyTarget.Prepare("replay");
        var crashes = Directory.CreateDirectory(Path.Combine(dir, "crashes")).FullName;
        var crash = Path.Combine(crashes, "crash-deep");
        await File.WriteAllTextAsync(crash, "[deep]\n");
        var rejection = Path.Combine(crashes, "rejected");
        await File.WriteAllTextAsync(rejection, "[unterminated\n");

        var crashed = await FuzzReplay.RunAsync(crash);
        var rejected = await FuzzReplay.RunAsync(rejection);

        Assert.Equal(1, crashed.ExitCode);
        Assert.Contains("IndexOutOfRangeException", crashed.Output);
        Assert.False(crashed.Aborted);
        Assert.Equal(0, rejected.ExitCode);
        Assert.Contains("expected rejection", rejected.Output);
    }

    [Fact]
    public async Task An_input_outside_a_campaign_or_missing_is_an_argument_error()
    {
        var loose = Path.Combine(Path.GetTempPath(), $"agentkit-loose-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(loose, "x");
        try
        {
            Assert.Contains("not inside a campaign directory", (await Assert.ThrowsAsync<ArgumentException>(() => FuzzReplay.RunAsync(loose))).Message);
            Assert.StartsWith("input not found", (await Assert.ThrowsAsync<ArgumentException>(() => FuzzReplay.RunAsync(loose + "-missing"))).Message);
        }
        finally
        {
            File.Delete(loose);
        }
    }
}
