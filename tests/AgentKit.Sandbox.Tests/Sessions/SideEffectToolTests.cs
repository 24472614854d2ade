using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;

namespace AgentKit.Sandbox.Tests.Sessions;

/// <summary>
/// Tools isolated per candidate: read-only tools run once per distinct call of a try, the answer shared; a side-effecting tool never runs for a
/// candidate that may be discarded, and runs exactly once, with the chosen candidate's arguments, when it is committed.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SideEffectToolTests(SandboxFixture fixture)
{
    [Fact]
    public async Task AVoidSideEffect_IsHeldDuringTheTry_AndCarriedOutOnceForTheChosenCandidate()
    {
        var send = new CountingTool("Send", "void", sideEffects: true);
        await using var session = await fixture.Sandbox.OpenSessionAsync([send]);

        var results = await session.TryCandidatesAsync(["Send(\"a\"); 1", "Send(\"b\"); Send(\"b2\"); 2", "3"]);

        Assert.All(results, r => Assert.Equal(ExecutionStatus.Ok, r.Status));
        Assert.Empty(send.Received); // nothing sent while candidates were only tried
        var committed = await session.CommitCandidateAsync(1);
        Assert.Equal("2", committed.ReturnValue);
        Assert.Equal(["b", "b2"], send.Received);

        // Later steps replay the committed step from its log: the calls are not repeated.
        Assert.Equal("4", (await session.ExecuteAsync("Send(\"c\"); 4")).ReturnValue);
        Assert.Equal(["b", "b2", "c"], send.Received);
    }

    [Fact]
    public async Task ASideEffectWhoseValueIsNeeded_IsRefusedInTheTry_AndTheChosenCandidateRunsAgainForReal()
    {
        var charge = new CountingTool("Charge", "int", sideEffects: true);
        await using var session = await fixture.Sandbox.OpenSessionAsync([charge]);
        await session.ExecuteAsync("var total = 0;");

        var results = await session.TryCandidatesAsync(["total += Charge(\"x\"); total", "total + 100"]);

        Assert.Equal(ExecutionStatus.RuntimeError, results[0].Status);
        Assert.Contains("'Charge' has side effects", results[0].Error);
        Assert.Equal("100", results[1].ReturnValue);
        Assert.Empty(charge.Received);

        var committed = await session.CommitCandidateAsync(0);

        Assert.Equal(ExecutionStatus.Ok, committed.Status);
        Assert.Equal("1", committed.ReturnValue); // the tool's first real call returns 1
        Assert.Equal(["x"], charge.Received);
        Assert.Equal("1", (await session.ExecuteAsync("total")).ReturnValue);
    }

    [Fact]
    public async Task ReadOnlyTools_RunOncePerDistinctCallOfATry_AndCandidatesShareTheAnswer()
    {
        var lookup = new CountingTool("Lookup", "int", sideEffects: false);
        await using var session = await fixture.Sandbox.OpenSessionAsync([lookup]);

        var results = await session.TryCandidatesAsync(["Lookup(\"a\")", "Lookup(\"b\")", "Lookup(\"a\")", "Lookup(\"a\") * 100 + Lookup(\"c\")"]);

        Assert.All(results, r => Assert.Equal(ExecutionStatus.Ok, r.Status));
        Assert.Equal(["a", "b", "c"], lookup.Received.Order());
        Assert.Equal(results[0].ReturnValue, results[2].ReturnValue); // one answer to one question
        Assert.Equal(int.Parse(results[0].ReturnValue!), int.Parse(results[3].ReturnValue!) / 100);
        await session.CommitCandidateAsync(3);
        Assert.Equal(3, lookup.Received.Count); // committing runs nothing again

        // The next try asks again.
        await session.TryCandidatesAsync(["Lookup(\"a\")", "Lookup(\"a\")"]);
        Assert.Equal(4, lookup.Received.Count);
    }

    /// <summary>Counts its calls; returns the call's number when it returns a value.</summary>
    private sealed class CountingTool(string name, string returnType, bool sideEffects) : IAgentTool
    {
        public List<string> Received { get; } = [];

        public ToolDefinition Definition { get; } = new(name, "Counts its calls.", [new ToolParameter("what", "string", "a label")], returnType, HasSideEffects: sideEffects);

        public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
        {
            lock (Received)
            {
                Received.Add(arguments[0].GetString()!);
                return ValueTask.FromResult<JsonNode?>(returnType == "void" ? null : JsonValue.Create(Received.Count));
            }
        }
    }
}
