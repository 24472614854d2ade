namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// The policy skips the node-by-node semantic check of syntax the operation pass covered (method names in calls,
/// member names, <c>var</c>, lambda parameters, parentheses). Denied things hidden exactly there must still be refused,
/// and invalid code must still be refused by the candidates it would have bound to.
/// </summary>
public sealed class OperationCoverageTests
{
    [Theory]
    // Inside lambdas, where the operation pass is what sees the call.
    [InlineData("Enumerable.Range(0, 1).Select(i => System.IO.File.Exists(\"x\")).First()", "System.IO.File")]
    [InlineData("Enumerable.Range(0, 1).Select(i => (System.IO.File.Exists(\"x\"))).First()", "System.IO.File")]
    [InlineData("Enumerable.Range(0, 1).Select(i => { var info = new System.IO.FileInfo(\"x\"); return 1; }).First()", "System.IO.FileInfo")]
    [InlineData("Enumerable.Range(0, 1).Select(i => typeof(System.IO.File).Name).First()", "System.IO.File")]
    [InlineData("Enumerable.Range(0, 1).Select(i => (object)i is System.IO.FileInfo f ? 1 : 0).First()", "System.IO.FileInfo")]
    [InlineData("Enumerable.Range(0, 1).Select(i => Environment.GetEnvironmentVariable(\"HOME\")).First()", "System.Environment.GetEnvironmentVariable")]
    // Declared but never used: only the function's own symbol names the type.
    [InlineData("int Count(System.IO.Stream unused) => 1;\nCount(null!)", "System.IO.Stream")]
    [InlineData("var f = (System.IO.Stream s) => 1;\n1", "System.IO.Stream")]
    [InlineData("Func<System.IO.Stream, int> f = s => 1;\n1", "System.IO.Stream")]
    [InlineData("{ var t = System.Threading.Tasks.Task.Run(() => 1); }", "System.Threading.Tasks.Task")]
    // A method group and a member reached through an alias.
    [InlineData("Func<string, bool> exists = System.IO.File.Exists;\nexists(\"x\")", "System.IO.File")]
    [InlineData("using E = System.Environment;\nE.ProcessId", "System.Environment")]
    public void DeniedSymbols_InCoveredSyntax_AreRefused(string code, string symbol)
    {
        var errors = PolicyHarness.CompileErrors(code);
        Assert.True(errors.Count == 0, "the snippet must compile, or the test proves nothing: " + string.Join("; ", errors));

        var violation = PolicyHarness.Check(code);

        Assert.NotNull(violation);
        Assert.Contains(symbol, violation.Symbol);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText(1, 2, 3, 4)")]
    [InlineData("Enumerable.Range(0, 1).Select(i => System.IO.File.ReadAllText(i, i, i, i)).First()")]
    [InlineData("var x = System.IO.File.ReadAllText(undefinedName);")]
    public void InvalidCode_IsRefused_ByWhatItWouldHaveCalled(string code)
    {
        Assert.NotEmpty(PolicyHarness.CompileErrors(code));

        var violation = PolicyHarness.Check(code);

        Assert.NotNull(violation);
        Assert.Contains("System.IO.File", violation.Symbol);
    }

    [Theory]
    // Names that look like denied ones but are the snippet's own.
    [InlineData("var o = new { File = 1, Process = 2 };\no.File + o.Process")]
    [InlineData("int File(int x) => x;\nEnumerable.Range(1, 3).Select(i => File(i)).Sum()")]
    [InlineData("Enumerable.Range(1, 3).Select(i => ((i * 2) + (i % 2))).Sum()")]
    public void LookAlikes_AreAllowed(string code)
    {
        var errors = PolicyHarness.CompileErrors(code);
        Assert.True(errors.Count == 0, "the snippet must compile: " + string.Join("; ", errors));

        Assert.Null(PolicyHarness.Check(code));
    }
}
