using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class MemoryTests(SandboxFixture fixture)
{
    private const int Snippets = 2_000;
    private const int WarmUpSnippets = 200;

    [Fact]
    public async Task TwoThousandSnippets_DoNotGrowWorkerMemory()
    {
        // Each snippet compiles into its own collectible load context; a leak would add an assembly per snippet
        // (Roslyn's plain scripting API grew by hundreds of MB over 1,000 snippets).
        await RunManyAsync(0, WarmUpSnippets);
        var before = ResidentMb();

        var failures = await RunManyAsync(WarmUpSnippets, Snippets - WarmUpSnippets);
        var after = ResidentMb();

        Assert.Equal(0, failures);
        foreach (var (pid, startMb) in before)
        {
            Assert.True(after.ContainsKey(pid), $"worker {pid} was replaced during the run");
            var growth = after[pid] - startMb;
            Assert.True(growth < 60, $"worker {pid} grew from {startMb:F0} MB to {after[pid]:F0} MB over {Snippets - WarmUpSnippets} snippets");
        }
        Assert.All(after.Values, mb => Assert.True(mb < 400, $"a worker uses {mb:F0} MB"));
    }

    private async Task<int> RunManyAsync(int from, int count)
    {
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            var result = await fixture.Sandbox.RunAsync($"record R{i % 7}(int V);\nvar xs = Enumerable.Range(0, {i % 50 + 10}).Select(v => new R{i % 7}(v)).ToList();\nxs.Sum(x => x.V)", ct);
            if (result.Status != ExecutionStatus.Ok) Interlocked.Increment(ref failures);
        });
        return failures;
    }

    private Dictionary<int, double> ResidentMb() =>
        fixture.Sandbox.GetWorkers().Where(w => w.ResidentBytes is not null)
            .ToDictionary(w => w.ProcessId, w => w.ResidentBytes!.Value / 1024.0 / 1024.0);
}
