using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit fuzz --sync-dir --instance</c>: argument checks (the syncing itself is tested in AgentKit.Fuzzing.Tests).</summary>
public sealed class FuzzSyncCommandTests
{
    [Theory]
    [InlineData("main node")]
    [InlineData("../escape")]
    [InlineData("")]
    public async Task An_instance_name_afl_would_refuse_is_a_usage_error_before_any_work(string name)
    {
        var (exit, _, stderr) = await RunAsync("fuzz", "--target", "Not.A.Package@1.0.0", "--harness", "json", "--out", Path.GetTempPath(),
            "--seconds", "1", "--sync-dir", Path.GetTempPath(), "--instance", name);

        Assert.Equal(2, exit);
        Assert.Contains("InstanceName must be 1-32 letters, digits, '_' or '-'", stderr);
    }
}
