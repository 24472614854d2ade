using AgentKit.Sandbox.Bench;

namespace AgentKit.Sandbox.Tests.Bench;

/// <summary>The benchmark behind <c>agentkit bench sandbox</c>, on its own pool, with the shared test sandbox as the peer.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxBenchmarkTests(SandboxFixture fixture)
{
    [Fact]
    public async Task EveryModeIsMeasured_AndTheValuesAgreeWithThePeer()
    {
        var reported = new List<int>();
        var options = new SandboxBenchmarkOptions { Snippets = 3, Workers = 1 };

        var report = await SandboxBenchmark.RunAsync(
            options, async (code, ct) => (await fixture.Sandbox.RunAsync(code, ct)).ReturnValue, new Progress<int>(reported.Add));

        Assert.True(report.SameResults);
        Assert.Equal(3, report.Snippets);
        Assert.Equal(SandboxBenchmark.Workloads.Count * 3, report.Latency.Count);
        Assert.Contains(report.Latency, row => row.Snippet == "linq-20-lines, one-shot run, fresh worker ready");
        Assert.All(report.Latency, row => Assert.True(row.SandboxP50Ms > 0 && row.SandboxP50Ms <= row.SandboxP95Ms, row.ToString()));
        Assert.All(report.Throughput, row => Assert.True(row.SandboxPerSecond > 0 && row.InProcessPerSecond > 0 && row.Parallelism == 1, row.ToString()));
        Assert.True(report.PoolStartMs > 0);
    }

    [Fact]
    public async Task APeerThatDisagrees_IsReported()
    {
        var report = await SandboxBenchmark.RunAsync(new SandboxBenchmarkOptions { Snippets = 1, Workers = 1 }, (_, _) => Task.FromResult<string?>("42"));

        Assert.False(report.SameResults);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100_001, 1)]
    [InlineData(10, 0)]
    [InlineData(10, 257)]
    public void Options_OutOfRange_AreRefusedWhenSet(int snippets, int workers) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxBenchmarkOptions { Snippets = snippets, Workers = workers });
}
