using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

/// <summary>
/// One run, one worker: process-wide state a snippet changes (whatever the policy lets through) never reaches
/// another run; text leaving a worker is capped; a top-level <c>return</c> is the snippet's value.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RunIsolationTests(SandboxFixture fixture)
{
    private CodeSandbox Sandbox => fixture.Sandbox;

    [Theory]
    [InlineData("Console.Out.NewLine = \"#\";", "Console.Write(Console.Out.NewLine == \"#\" ? \"leaked\" : \"clean\");")]
    [InlineData("string.Intern(\"run-a-\" + 6 * 7 + \"-secret\");", "Console.Write(string.IsInterned(string.Concat(\"run-a-\", (6 * 7).ToString(), \"-secret\")) is null ? \"clean\" : \"leaked\");")]
    [InlineData("System.Text.RegularExpressions.Regex.CacheSize = 1;", "Console.Write(System.Text.RegularExpressions.Regex.CacheSize == 1 ? \"leaked\" : \"clean\");")]
    [InlineData("CultureInfo.DefaultThreadCurrentCulture = new CultureInfo(\"fr-FR\");", "Console.Write(CultureInfo.CurrentCulture.Name == \"fr-FR\" ? \"leaked\" : \"clean\");")]
    [InlineData("AppDomain.CurrentDomain.SetData(\"agentkit\", \"run-a\");", "Console.Write(AppDomain.CurrentDomain.GetData(\"agentkit\") is null ? \"clean\" : \"leaked\");")]
    public async Task ProcessWideState_SetByOneRun_NeverReachesTheNext(string setInRunA, string probeInRunB)
    {
        var containment = Containment.Snapshot();
        await using (var runA = await Sandbox.OpenSessionAsync([]))
        {
            var set = await runA.ExecuteAsync(setInRunA);
            // Either the policy refuses the change, or it happens in run A's own worker only.
            Assert.Contains(set.Status, new[] { ExecutionStatus.Ok, ExecutionStatus.PolicyViolation });
        }
        await using (var runB = await Sandbox.OpenSessionAsync([]))
        {
            var probe = await runB.ExecuteAsync(probeInRunB);
            if (probe.Status == ExecutionStatus.Ok) Assert.Equal("clean", probe.Output);
            else Assert.Equal(ExecutionStatus.PolicyViolation, probe.Status);
        }
        await containment.AssertUnharmedAsync(Sandbox);
    }

    [Fact]
    public async Task RunsNeverShareAWorker()
    {
        await using var runA = await Sandbox.OpenSessionAsync([]);
        await using var runB = await Sandbox.OpenSessionAsync([]);
        var a = ((AgentKit.Sandbox.Sessions.CodeSession)runA).Workers.Select(w => w.RuntimeProcessId).ToHashSet();
        var b = ((AgentKit.Sandbox.Sessions.CodeSession)runB).Workers.Select(w => w.RuntimeProcessId).ToHashSet();
        Assert.NotEmpty(a);
        Assert.Empty(a.Intersect(b));
        await runA.ExecuteAsync("1");
        await runA.DisposeAsync();
        // The run is over: its worker is gone, never handed to anyone else.
        Assert.DoesNotContain(Sandbox.GetWorkers(), w => a.Contains(w.ProcessId));
    }

    [Fact]
    public async Task OneShotRuns_EachUseUpAWorker_AndThePoolRefillsToItsSize()
    {
        for (var i = 0; i < 3; i++)
        {
            await Sandbox.WaitForWarmWorkersAsync();
            var idle = Sandbox.GetWorkers().Select(w => w.ProcessId).ToHashSet();
            var result = await Sandbox.RunAsync("6 * 7");
            Assert.Equal(ExecutionStatus.Ok, result.Status);
            // The worker that ran is gone, and it was one of the warm ones.
            var after = Sandbox.GetWorkers().Select(w => w.ProcessId).ToHashSet();
            Assert.True(idle.Except(after).Count() == 1, $"idle {string.Join(",", idle)} after {string.Join(",", after)}");
        }

        await Sandbox.WaitForWarmWorkersAsync();

        // Each run's replacement started once: neither fewer nor more workers than the pool's size.
        var workers = Sandbox.GetWorkers();
        Assert.Equal(Sandbox.Options.PoolSize, workers.Count);
        Assert.All(workers, w => Assert.Equal(1, w.SnippetsRun)); // the warm-up only
    }

    [Theory]
    [InlineData("throw new Exception(new string('x', 20_000_000));", ExecutionStatus.RuntimeError)]
    [InlineData("new string('y', 20_000_000)", ExecutionStatus.Ok)]
    [InlineData("FinalAnswer(new string('z', 20_000_000));", ExecutionStatus.Ok)]
    public async Task TwentyMillionCharacters_AreCutWithAMarker(string code, ExecutionStatus status)
    {
        var containment = Containment.Snapshot();
        var result = await Sandbox.RunAsync(code);

        Assert.Equal(status, result.Status);
        var text = result.Error ?? result.FinalAnswer ?? result.ReturnValue!;
        Assert.InRange(text.Length, 100, SandboxFixture.Options.MaxOutputChars + 100);
        Assert.True(text.Contains("[truncated:", StringComparison.Ordinal) || text.EndsWith('…'), text[^60..]);
        await containment.AssertUnharmedAsync(Sandbox);
    }

    [Fact]
    public async Task ToolArguments_OverTheCap_FailInTheSnippet_AndTheToolNeverRuns()
    {
        var search = new PassageSearchTool();
        await using var session = await Sandbox.OpenSessionAsync([search]);

        var result = await session.ExecuteAsync("Search(new string('q', 20_000_000)).Length");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Contains("the sandbox allows", result.Error);
        Assert.Equal(0, search.Calls);
    }

    [Theory]
    [InlineData("return 385;", "385")]
    [InlineData("var x = 7;\nif (x > 5) return x * 2;\nreturn 0;", "14")]
    [InlineData("int Twice(int v) { return v * 2; }\nreturn Twice(21);", "42")]
    [InlineData("Func<int, int> f = v => { return v + 1; };\nf(1);", null)]
    public async Task TopLevelReturn_SetsTheValue(string code, string? value)
    {
        var result = await Sandbox.RunAsync(code);

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal(value, result.ReturnValue);
    }
}
