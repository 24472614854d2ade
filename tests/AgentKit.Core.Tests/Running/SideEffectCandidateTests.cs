using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Models;
using AgentKit.Core.Running;
using static AgentKit.Core.Tests.Running.AgentLoopTests;

namespace AgentKit.Core.Tests.Running;

/// <summary>Self-consistency with a side-effecting tool: the effect happens once, and the agent observes its real result.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SideEffectCandidateTests(SandboxFixture fixture)
{
    [Fact]
    public async Task Three_candidates_charge_once_and_the_observation_is_the_real_charge()
    {
        var charge = new ChargeTool();
        var model = ScriptedCandidateGenerator.FromReplies(
            [Act("charge", "Console.WriteLine(Charge(5));"), Act("charge", "Console.WriteLine(Charge(5));"), Act("charge", "Console.WriteLine(Charge(5));")],
            [Act("done", "FinalAnswer(\"ok\");"), Act("done", "FinalAnswer(\"ok\");"), Act("done", "FinalAnswer(\"ok\");")]);
        var agent = new Agent(Definition(candidates: 3) with { Tools = ["Charge"] }, model, fixture.Sandbox, [charge], new AgentRunOptions { Sink = new MemorySink() });

        var result = await agent.RunAsync("Charge 5.");

        Assert.Equal(1, charge.Calls);
        var first = result.Steps.OfType<ActionStep>().First();
        Assert.Equal("charged 5 (call 1)", first.Observation);
        Assert.False(first.IsError);
        Assert.Equal("ok", result.FinalAnswer);
    }

    private sealed class ChargeTool : IAgentTool
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ToolDefinition Definition { get; } = new("Charge", "Charges an amount.", [new ToolParameter("amount", "int", "how much")], "string", HasSideEffects: true);

        public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult<JsonNode?>($"charged {arguments[0].GetInt32()} (call {Interlocked.Increment(ref _calls)})");
    }
}
