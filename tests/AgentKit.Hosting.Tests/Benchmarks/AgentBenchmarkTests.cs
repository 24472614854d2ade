using AgentKit.Hosting.Benchmarks;

namespace AgentKit.Hosting.Tests.Benchmarks;

/// <summary>The agent benchmark runs for real (sandbox, Lucene, a tiny random GGUF) at a small size.</summary>
public sealed class AgentBenchmarkTests
{
    [Fact]
    public async Task Reports_OneCandidate_IdenticalAndDistinctCandidates_AndTheModelRuns()
    {
        var report = await AgentBenchmark.RunAsync(new AgentBenchmarkOptions { Steps = 3, ModelSteps = 1, MaxTokens = 16 });

        Assert.Equal([(1, false), (8, false), (8, true)], report.Scripted.Select(r => (r.N, r.DistinctCandidates)));
        Assert.All(report.Scripted, r => Assert.Equal(2, r.Steps)); // the cold first step is left out
        Assert.All(report.Scripted, r => Assert.True(r.ExecutionMs > 0 && r.SearchMs > 0, $"N={r.N}: nothing was measured"));
        Assert.True(report.ExecutionRatioN8OverN1 > 0 && report.ExecutionRatioDistinctN8OverN1 > 0);
        Assert.Equal([1, 8], report.Model.Select(r => r.N));
        Assert.True(report.WallRatioN8OverN1 > 0);
    }
}
