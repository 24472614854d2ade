using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

/// <summary>The allow-list must not get in the way of ordinary agent code.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PolicyTests(SandboxFixture fixture)
{
    [Theory]
    [InlineData("var words = \"the cat sat on the mat\".Split(' ');\nwords.GroupBy(w => w).OrderByDescending(g => g.Count()).First().Key", "the")]
    [InlineData("Regex.Match(\"order 66 shipped\", @\"\\d+\").Value", "66")]
    [InlineData("var sb = new StringBuilder();\nforeach (var c in \"abc\") sb.Insert(0, c);\nsb.ToString()", "cba")]
    [InlineData("Math.Round(Math.Sqrt(2), 3)", "1.414")]
    [InlineData("System.Numerics.BigInteger.Pow(2, 100).ToString()", "1267650600228229401496703205376")]
    [InlineData("new DateTime(2024, 3, 1).AddDays(-1).ToString(\"yyyy-MM-dd\", CultureInfo.InvariantCulture)", "2024-02-29")]
    [InlineData("JsonSerializer.Serialize(new { a = 1, b = new[] { 2, 3 } })", "{\"a\":1,\"b\":[2,3]}")]
    [InlineData("var d = new Dictionary<string, int>();\nforeach (var w in \"a b a\".Split(' ')) d[w] = d.GetValueOrDefault(w) + 1;\nd[\"a\"]", "2")]
    [InlineData("var q = from n in Enumerable.Range(1, 10) where n % 3 == 0 select n * n;\nq.Sum()", "126")]
    [InlineData("record Item(string Name, decimal Price);\nvar items = new[] { new Item(\"a\", 1.5m), new Item(\"b\", 2m) };\nitems.Sum(i => i.Price)", "3.5")]
    [InlineData("(int a, string b) t = (1, \"x\");\n$\"{t.a}{t.b}{nameof(t)}\"", "1xt")]
    [InlineData("\"x\".GetType().Name", "String")]
    [InlineData("var sw = System.Diagnostics.Stopwatch.StartNew();\nsw.ElapsedMilliseconds >= 0", "true")]
    [InlineData("Console.Out.Write(\"\");\nEnvironment.NewLine.Length", "1")]
    public async Task OrdinaryAgentCode_Runs(string code, string expected)
    {
        var result = await fixture.Sandbox.RunAsync(code);

        Assert.True(result.Status == ExecutionStatus.Ok, $"{result.Status}: {result.Error}");
        Assert.Equal(expected, result.ReturnValue);
    }

    [Fact]
    public async Task Violation_ReportsLineAndColumnOfTheSymbol()
    {
        var result = await fixture.Sandbox.RunAsync("var a = 1;\nvar b = 2;\nvar text =  System.IO.File.ReadAllText(\"x\");");

        Assert.Equal(ExecutionStatus.PolicyViolation, result.Status);
        Assert.Equal(3, result.Line);
        Assert.Equal(13, result.Column);
    }

    [Fact]
    public async Task CompileError_ReportsLineAndColumn()
    {
        var result = await fixture.Sandbox.RunAsync("var a = 1;\nvar b = a +;");

        Assert.Equal(ExecutionStatus.CompileError, result.Status);
        Assert.Equal(2, result.Line);
        Assert.Contains("CS1525", result.Error);
    }

    [Fact]
    public async Task RuntimeError_ReportsTheExceptionAndLine()
    {
        var result = await fixture.Sandbox.RunAsync("var xs = new int[2];\n\nvar y = xs[5];");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Contains("IndexOutOfRangeException", result.Error);
        Assert.Equal(3, result.Line);
    }
}
