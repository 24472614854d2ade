using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Tools;

namespace AgentKit.Sandbox.Tests;

/// <summary>A real in-memory tool: searches a fixed list of passages and counts its invocations.</summary>
public sealed class PassageSearchTool : IAgentTool
{
    private static readonly (string Title, string Text)[] Passages =
    [
        ("Peru", "Lima is the capital of Peru."),
        ("France", "Paris is the capital of France."),
        ("Chile", "Santiago is the capital of Chile."),
    ];

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ToolDefinition Definition { get; } = new(
        "Search", "Finds passages that mention the query.",
        [new ToolParameter("query", "string", "words to look for"), new ToolParameter("k", "int", "how many passages", "2")],
        "Passage[]",
        "public record Passage(string Title, string Text);");

    public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var query = arguments[0].GetString() ?? "";
        var k = arguments[1].GetInt32();
        var hits = new JsonArray();
        foreach (var (title, text) in Passages.Where(p => p.Text.Contains(query, StringComparison.OrdinalIgnoreCase)).Take(k))
            hits.Add(new JsonObject { ["title"] = title, ["text"] = text });
        return ValueTask.FromResult<JsonNode?>(hits);
    }
}

/// <summary>A tool that always fails, the way a tool reports errors to the agent.</summary>
public sealed class FailingTool : IAgentTool
{
    public ToolDefinition Definition { get; } = new("Lookup", "Always fails.", [new ToolParameter("key", "string", "a key")], "string");

    public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken) =>
        throw new ToolException($"no entry for '{arguments[0].GetString()}'");
}

/// <summary>A tool with a bug: throws something other than ToolException.</summary>
public sealed class BuggyTool : IAgentTool
{
    public ToolDefinition Definition { get; } = new("Divide", "Divides.", [new ToolParameter("a", "int", "dividend"), new ToolParameter("b", "int", "divisor")], "int");

    public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JsonNode?>(arguments[0].GetInt32() / arguments[1].GetInt32());
}

/// <summary>A void tool with a side effect the test can observe, taking an array.</summary>
public sealed class RecordingTool : IAgentTool
{
    public List<string> Received { get; } = [];

    public ToolDefinition Definition { get; } = new("Remember", "Stores words.", [new ToolParameter("words", "string[]", "words to store")], "void");

    public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
    {
        lock (Received) Received.AddRange(arguments[0].EnumerateArray().Select(e => e.GetString()!));
        return ValueTask.FromResult<JsonNode?>(null);
    }
}
