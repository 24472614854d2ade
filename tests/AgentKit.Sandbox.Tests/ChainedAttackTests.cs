using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

/// <summary>
/// Multi-step attacks inside one run: each refused step leaves the run's state as it was, later steps cannot pick up
/// where a refused one left off, and the next run is unaffected.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ChainedAttackTests(SandboxFixture fixture)
{
    [Fact]
    public async Task OutOfBoundsWrites_TriedStepAfterStep_AreRefused_AndTheStateStaysIntact()
    {
        await using var run = await fixture.Sandbox.OpenSessionAsync([]);
        Assert.Equal(ExecutionStatus.Ok, (await run.ExecuteAsync("var data = new int[] { 1, 2, 3, 4 };\nvar secret = \"policy\";")).Status);

        string[] attacks =
        [
            // Write a whole vector from the last element: 28 bytes past the array, into the next object's header.
            "System.Numerics.Vector.StoreUnsafe(new System.Numerics.Vector<int>(7), ref data[3]);",
            "using V = System.Numerics.Vector;\nV.StoreUnsafe(V.Create(7), ref data[3]);",
            "System.Runtime.Intrinsics.Vector128.StoreUnsafe(System.Runtime.Intrinsics.Vector128.Create(7), ref data[3]);",
            "{ var span = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref data[0], 64); span[40] = 7; }",
            "{ ref var r = ref System.Runtime.CompilerServices.Unsafe.Add(ref data[0], 40); r = 7; }",
            // The string the policy would trust, rewritten in place.
            "{ var chars = System.Runtime.InteropServices.MemoryMarshal.AsMemory(secret.AsMemory()); chars.Span[0] = 'X'; }",
        ];
        foreach (var attack in attacks)
        {
            var refused = await run.ExecuteAsync(attack);
            Assert.True(refused.Status == ExecutionStatus.PolicyViolation, $"{attack}\n→ {refused.Status}: {refused.Error}");
        }

        // Nothing ran: the state is exactly what the first step made.
        var state = await run.ExecuteAsync("data.Sum() + \":\" + data.Length + \":\" + secret");
        Assert.Equal(ExecutionStatus.Ok, state.Status);
        Assert.Equal("10:4:policy", state.ReturnValue);
        await fixture.AssertHealthyAsync();
    }
}
