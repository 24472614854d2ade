using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Sessions;

namespace AgentKit.Sandbox.Tests.Sessions;

/// <summary>
/// Candidates start from the committed state without reloading it: a worker keeps each image once and every context
/// of the run shares it. Sharing must never share state: code that declares statics gets a private copy per context.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SharedImageTests(SandboxFixture fixture)
{
    [Fact]
    public async Task StaticState_IsNotSharedBetweenCandidates_NorCarriedIntoTheReplay()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);
        Assert.Equal(ExecutionStatus.Ok, (await session.ExecuteAsync("class Counter { public static int N; public static int Auto { get; set; } }")).Status);
        Assert.Equal("1", (await session.ExecuteAsync("Counter.N++; Counter.Auto++; Counter.N")).ReturnValue);

        // Each candidate starts from N = 1 in a state of its own, even those on the same worker.
        var results = await session.TryCandidatesAsync(["Counter.N += 10; Counter.Auto += 10; Counter.N + Counter.Auto", "Counter.N += 10; Counter.Auto += 10; Counter.N + Counter.Auto", "Counter.N + Counter.Auto", "Counter.N += 10; Counter.Auto += 10; Counter.N + Counter.Auto"]);

        Assert.Equal(["22", "22", "2", "22"], results.Select(r => r.ReturnValue));
        Assert.Equal("2", (await session.CommitCandidateAsync(2)).ReturnValue);
        var next = await session.TryCandidatesAsync(["Counter.N", "Counter.N * 100"]);
        Assert.Equal(["1", "100"], next.Select(r => r.ReturnValue));
    }

    [Fact]
    public async Task AStaticDeclaredInALaterStep_KeepsEarlierSharedStateWorking()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);
        Assert.Equal(ExecutionStatus.Ok, (await session.ExecuteAsync("record Point(int X, int Y); var origin = new Point(1, 2);")).Status);
        Assert.Equal(ExecutionStatus.Ok, (await session.ExecuteAsync("static class Seen { public static List<Point> All = new(); } Seen.All.Add(origin);")).Status);

        var results = await session.TryCandidatesAsync(["Seen.All.Add(new Point(3, 4)); Seen.All.Count", "Seen.All.Count", "Seen.All.Add(origin); Seen.All.Count"]);

        Assert.Equal(["2", "1", "2"], results.Select(r => r.ReturnValue));
    }

    [Fact]
    public async Task Workers_KeepOneImagePerCommittedStep_AndDropTheCandidatesNotChosen()
    {
        await using var session = (CodeSession)await fixture.Sandbox.OpenSessionAsync([new PassageSearchTool()]);
        const int Steps = 4;
        for (var step = 0; step < Steps; step++)
        {
            var candidates = Enumerable.Range(0, 4).Select(i => $"var v{step} = Search(\"Lima\", 1).Length + {i}; v{step}").ToList();
            candidates.Add(candidates[0]); // identical candidates share one image
            var results = await session.TryCandidatesAsync(candidates);
            Assert.All(results, r => Assert.Equal(ExecutionStatus.Ok, r.Status));
            Assert.Equal($"{1 + step % 4}", (await session.CommitCandidateAsync(step % 4)).ReturnValue);
        }
        Assert.Equal(Enumerable.Range(0, Steps).Sum(s => 1 + s % 4).ToString(), (await session.ExecuteAsync(string.Join(" + ", Enumerable.Range(0, Steps).Select(s => $"v{s}")))).ReturnValue);

        var stats = await session.GetWorkerStatsAsync();
        Assert.Equal(2, stats.Count);
        // Every worker holds at most the prelude, the committed steps and the last one run (none left of the losers).
        Assert.All(stats, s => Assert.InRange(s.SharedImages, 1, Steps + 2));
        Assert.All(stats, s => Assert.Equal(0, s.UnloadedContextsAlive));
    }
}
