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
        var heapBefore = await fixture.Sandbox.GetWorkerStatsAsync();
        var before = ResidentMb();

        var failures = await RunManyAsync(WarmUpSnippets, Snippets - WarmUpSnippets);
        var heapAfter = await fixture.Sandbox.GetWorkerStatsAsync();
        var after = ResidentMb();

        Assert.Equal(0, failures);
        // None of the snippets' load contexts survived, and the managed heap is where it was. (A context of an
        // earlier test may linger in a framework cache with its own expiry, e.g. System.Text.Json's accessor cache
        // after a tool call; that is bounded, so the check is "no more than before".)
        for (var i = 0; i < heapAfter.Count; i++)
        {
            Assert.True(heapAfter[i].UnloadedContextsAlive <= heapBefore[i].UnloadedContextsAlive,
                $"worker {i}: {heapAfter[i].UnloadedContextsAlive} unloaded contexts still in memory (before: {heapBefore[i].UnloadedContextsAlive})");
            var growthMb = (heapAfter[i].ManagedHeapBytes - heapBefore[i].ManagedHeapBytes) / 1024.0 / 1024.0;
            Assert.True(growthMb < 2, $"worker {i}'s managed heap grew by {growthMb:F1} MB");
        }
        foreach (var (pid, startMb) in before)
        {
            Assert.True(after.ContainsKey(pid), $"worker {pid} was replaced during the run");
            var growth = after[pid] - startMb;
            Assert.True(growth < 50, $"worker {pid} grew from {startMb:F0} MB to {after[pid]:F0} MB over {Snippets - WarmUpSnippets} snippets");
        }
        Assert.All(after.Values, mb => Assert.True(mb < 400, $"a worker uses {mb:F0} MB"));
    }

    private async Task<int> RunManyAsync(int from, int count)
    {
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            // A lambda (closure class), a generic LINQ instantiation and a loop: types and code in every assembly.
            var result = await fixture.Sandbox.RunAsync($"var xs = Enumerable.Range(0, {i % 50 + 10}).Select(v => v * {i % 7}).ToList();\nvar total = 0;\nforeach (var x in xs) total += x;\ntotal", ct);
            if (result.Status != ExecutionStatus.Ok) Interlocked.Increment(ref failures);
        });
        return failures;
    }

    private Dictionary<int, double> ResidentMb() =>
        fixture.Sandbox.GetWorkers().Where(w => w.ResidentBytes is not null)
            .ToDictionary(w => w.ProcessId, w => w.ResidentBytes!.Value / 1024.0 / 1024.0);
}
