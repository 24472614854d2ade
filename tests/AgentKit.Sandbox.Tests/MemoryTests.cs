using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Sessions;

namespace AgentKit.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class MemoryTests(SandboxFixture fixture)
{
    private const int Rounds = 150;
    private const int WarmUpRounds = 30;

    [Fact]
    public async Task ManyCandidateRoundsInOneRun_DoNotGrowWorkerMemory()
    {
        // A worker serves one run, but a long run with many candidates opens and closes hundreds of script
        // contexts in it: each is a collectible load context, and a leak would keep an assembly per candidate.
        await using var session = (CodeSession)await fixture.Sandbox.OpenSessionAsync([]);
        Assert.Equal(ExecutionStatus.Ok, (await session.ExecuteAsync("var data = Enumerable.Range(0, 100).ToList();")).Status);
        await RunRoundsAsync(session, 0, WarmUpRounds);
        var heapBefore = await session.GetWorkerStatsAsync();
        var before = ResidentMb(session);

        var failures = await RunRoundsAsync(session, WarmUpRounds, Rounds - WarmUpRounds);
        var heapAfter = await session.GetWorkerStatsAsync();
        var after = ResidentMb(session);

        Assert.Equal(0, failures);
        Assert.Equal(heapBefore.Count, heapAfter.Count);
        for (var i = 0; i < heapAfter.Count; i++)
        {
            Assert.True(heapAfter[i].UnloadedContextsAlive <= heapBefore[i].UnloadedContextsAlive + 1,
                $"worker {i}: {heapAfter[i].UnloadedContextsAlive} unloaded contexts still in memory (before: {heapBefore[i].UnloadedContextsAlive})");
            var growthMb = (heapAfter[i].ManagedHeapBytes - heapBefore[i].ManagedHeapBytes) / 1024.0 / 1024.0;
            Assert.True(growthMb < 2, $"worker {i}'s managed heap grew by {growthMb:F1} MB");
        }
        foreach (var (pid, startMb) in before)
        {
            Assert.True(after.ContainsKey(pid), $"worker {pid} was replaced during the run");
            Assert.True(after[pid] - startMb < 50, $"worker {pid} grew from {startMb:F0} MB to {after[pid]:F0} MB over {Rounds - WarmUpRounds} rounds");
        }
    }

    private static async Task<int> RunRoundsAsync(CodeSession session, int from, int count)
    {
        var failures = 0;
        for (var i = from; i < from + count; i++)
        {
            // A lambda (closure class), a generic LINQ instantiation and a loop: types and code in every assembly.
            var results = await session.TryCandidatesAsync([
                $"var xs = data.Take({i % 50 + 10}).Select(v => v * {i % 7}).ToList();\nvar total = 0;\nforeach (var x in xs) total += x;\ntotal",
                $"data.Where(v => v % {i % 5 + 2} == 0).Sum()",
            ]);
            failures += results.Count(r => r.Status != ExecutionStatus.Ok);
        }
        return failures;
    }

    private static Dictionary<int, double> ResidentMb(CodeSession session) =>
        session.Workers.Where(w => w.ResidentBytes() is not null)
            .ToDictionary(w => w.RuntimeProcessId, w => w.ResidentBytes()!.Value / 1024.0 / 1024.0);
}
