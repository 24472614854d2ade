using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;

namespace AgentKit.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class ToolTests(SandboxFixture fixture)
{
    [Fact]
    public async Task Tool_IsCalledWithItsSignature_AndResultIsTyped()
    {
        var search = new PassageSearchTool();
        await using var session = await fixture.Sandbox.OpenSessionAsync([search]);

        var result = await session.ExecuteAsync("var hits = Search(\"capital\");\nConsole.WriteLine(hits[0].Title);\nhits.Length");

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal("Peru\n", result.Output);
        Assert.Equal("2", result.ReturnValue); // the default k = 2 was applied on the script side
        Assert.Equal(1, search.Calls);
        var typed = await session.ExecuteAsync("Passage first = Search(\"Santiago\", 5).Single();\nfirst.Text");
        Assert.Equal("Santiago is the capital of Chile.", typed.ReturnValue);
    }

    [Fact]
    public async Task ToolException_SurfacesInTheScript_AsCatchableError()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([new FailingTool()]);

        var uncaught = await session.ExecuteAsync("var v = Lookup(\"moon\");");
        var caught = await session.ExecuteAsync("try { Lookup(\"sun\"); } catch (Exception e) { Console.WriteLine(e.Message); }");

        Assert.Equal(ExecutionStatus.RuntimeError, uncaught.Status);
        Assert.Contains("Tool 'Lookup' failed: no entry for 'moon'", uncaught.Error);
        Assert.Equal(ExecutionStatus.Ok, caught.Status);
        Assert.Equal("Tool 'Lookup' failed: no entry for 'sun'\n", caught.Output);
        Assert.Equal("3", (await session.ExecuteAsync("1 + 2")).ReturnValue);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task BuggyTool_ReportsItsExceptionToTheScript_NotTheHost()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([new BuggyTool()]);

        var ok = await session.ExecuteAsync("Divide(7, 2)");
        var failed = await session.ExecuteAsync("Divide(1, 0)");

        Assert.Equal("3", ok.ReturnValue);
        Assert.Equal(ExecutionStatus.RuntimeError, failed.Status);
        Assert.Contains("DivideByZeroException", failed.Error);
    }

    [Fact]
    public async Task VoidTool_ReceivesAnArrayArgument()
    {
        var remember = new RecordingTool();
        await using var session = await fixture.Sandbox.OpenSessionAsync([remember]);

        var result = await session.ExecuteAsync("Remember(new[] { \"alpha\", \"beta\" });\nRemember([\"gamma\"]);");

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal(["alpha", "beta", "gamma"], remember.Received);
    }

    [Fact]
    public async Task FinalAnswer_RecordsTheAnswer_AndEndsTheSnippet()
    {
        await using var session = await fixture.Sandbox.OpenSessionAsync([new PassageSearchTool()]);

        var result = await session.ExecuteAsync("var city = Search(\"Peru\")[0].Text.Split(' ')[0];\nFinalAnswer(city);\nConsole.WriteLine(\"never printed\");");

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal("Lima", result.FinalAnswer);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("FinalAnswer")]
    public async Task InvalidToolNames_AreRejectedAtOpen(string name)
    {
        var tool = new NamedTool(name);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Sandbox.OpenSessionAsync([tool]));

        Assert.Contains(name, error.Message);
    }

    [Fact]
    public async Task ToolDeclarationsThatDoNotCompile_AreRejectedAtOpen()
    {
        var tool = new NamedTool("Broken", typeDeclarations: "public record Broken(");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Sandbox.OpenSessionAsync([tool]));

        Assert.Contains("do not compile", error.Message);
    }

    [Fact]
    public async Task ToolsSharingATypeDeclaration_CompileItOnce_AndReturnTheSameType()
    {
        // Search and Mentions both declare the same Passage record; declaring it twice would not compile.
        await using var session = await fixture.Sandbox.OpenSessionAsync([new PassageSearchTool(), new TitleLookupTool()]);

        var result = await session.ExecuteAsync("Passage[] both = [.. Search(\"Peru\", 1), .. Mentions(\"Chile\")];\nstring.Join(\"|\", both.Select(p => p.Title))");

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal("Peru|Chile", result.ReturnValue);
    }

    /// <summary>Declares the record of <see cref="PassageSearchTool"/> again (with different surrounding white space).</summary>
    private sealed class TitleLookupTool : IAgentTool
    {
        public ToolDefinition Definition { get; } = new(
            "Mentions", "Passages titled with the text.", [new ToolParameter("text", "string", "a title")], "Passage[]",
            "\n" + new PassageSearchTool().Definition.TypeDeclarations + "\n");

        public ValueTask<System.Text.Json.Nodes.JsonNode?> InvokeAsync(IReadOnlyList<System.Text.Json.JsonElement> arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult<System.Text.Json.Nodes.JsonNode?>(new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["title"] = arguments[0].GetString(), ["text"] = "" }));
    }

    private sealed class NamedTool(string name, string? typeDeclarations = null) : IAgentTool
    {
        public ToolDefinition Definition { get; } = new(name, "test", [], "int", typeDeclarations);

        public ValueTask<System.Text.Json.Nodes.JsonNode?> InvokeAsync(IReadOnlyList<System.Text.Json.JsonElement> arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult<System.Text.Json.Nodes.JsonNode?>(1);
    }
}
