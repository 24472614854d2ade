using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class SessionStateTests(SandboxFixture fixture)
{
    [Fact]
    public async Task State_CarriesBetweenSteps_LikeANotebook()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);

        await session.ExecuteAsync("var total = 40;\nrecord Point(int X, int Y);\nint Twice(int x) => 2 * x;");
        var result = await session.ExecuteAsync("total += Twice(1);\nnew Point(total, 0).X");

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal("42", result.ReturnValue);
    }

    [Fact]
    public async Task Sessions_DoNotSeeEachOthersState()
    {
        await using var first = await fixture.Sandbox.OpenSessionAsync([]);
        await using var second = await fixture.Sandbox.OpenSessionAsync([]);

        await first.ExecuteAsync("var secret = \"first\";");
        var probe = await second.ExecuteAsync("secret");

        Assert.Equal(ExecutionStatus.CompileError, probe.Status);
        Assert.Contains("secret", probe.Error);
    }

    [Fact]
    public async Task FailedSteps_KeepTheEffectsTheyHadBeforeFailing()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);

        var failing = await session.ExecuteAsync("var log = new List<string> { \"before\" };\nthrow new InvalidOperationException(\"stop\");");
        var compileError = await session.ExecuteAsync("var y = undefinedName;");
        var after = await session.ExecuteAsync("string.Join(\",\", log)");

        Assert.Equal(ExecutionStatus.RuntimeError, failing.Status);
        Assert.Equal(2, failing.Line);
        Assert.Equal(ExecutionStatus.CompileError, compileError.Status);
        Assert.Equal(1, compileError.Line);
        Assert.Equal("before", after.ReturnValue);
    }

    [Fact]
    public async Task Candidates_DoNotSeeEachOthersSideEffects_AndCommitAdoptsTheChosenState()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);
        await session.ExecuteAsync("var items = new List<int> { 1 };\nvar counter = 0;");

        var results = await session.TryCandidatesAsync(
        [
            "items.Add(2); counter++; items.Count",
            "items.Add(3); counter += 10; items.Count",
            "items.Count + counter",
        ]);

        // Each candidate started from the committed state: one item, counter 0.
        Assert.Equal(["2", "2", "1"], results.Select(r => r.ReturnValue));
        await session.CommitCandidateAsync(1);
        var state = await session.ExecuteAsync("$\"{string.Join(\",\", items)} {counter}\"");
        Assert.Equal("1,3 10", state.ReturnValue);
    }

    [Fact]
    public async Task Commit_DoesNotRunTheCandidateAgain_AndReplayDoesNotCallToolsAgain()
    {
        var search = new PassageSearchTool();
        await using var session = await fixture.Sandbox.OpenSessionAsync([search]);
        await session.ExecuteAsync("var hits = Search(\"capital\", 3);");
        Assert.Equal(1, search.Calls);

        // Candidates 2 and 3 replay step 1 in fresh contexts: its Search call is answered from the log.
        var results = await session.TryCandidatesAsync(["hits.Length", "Search(\"Lima\").Length + hits.Length", "hits[2].Title"]);
        Assert.Equal(["3", "4", "Chile"], results.Select(r => r.ReturnValue));
        Assert.Equal(2, search.Calls);

        await session.CommitCandidateAsync(1);
        Assert.Equal(2, search.Calls);
        Assert.Equal("Peru", (await session.ExecuteAsync("hits[0].Title")).ReturnValue);
        Assert.Equal(2, search.Calls);
    }

    [Fact]
    public async Task Commit_WithoutTry_IsAClearError()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => session.CommitCandidateAsync(0));

        Assert.Contains("TryCandidatesAsync", error.Message);
        await session.TryCandidatesAsync(["1"]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => session.CommitCandidateAsync(3));
    }

    [Fact]
    public async Task Executing_WithoutCommit_DiscardsTheCandidates()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);
        await session.ExecuteAsync("var n = 1;");

        await session.TryCandidatesAsync(["n = 100;", "n = 200;"]);
        var result = await session.ExecuteAsync("n");

        Assert.Equal("1", result.ReturnValue);
    }

    [Fact]
    public async Task StateSurvivesATimeout_ByReplayingCommittedSteps()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([]);
        await session.ExecuteAsync("var kept = new List<string> { \"a\" };\nkept.Add(\"b\");");

        var timedOut = await session.ExecuteAsync("kept.Add(\"lost\");\nwhile (true) { }");
        var after = await session.ExecuteAsync("string.Join(\"\", kept)");

        Assert.Equal(ExecutionStatus.Timeout, timedOut.Status);
        // The killed step is not part of the state; the earlier ones were rebuilt in a new worker.
        Assert.Equal(ExecutionStatus.Ok, after.Status);
        Assert.Equal("ab", after.ReturnValue);
    }
}
