using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Tools;
using AgentKit.Retrieval.Search;

namespace AgentKit.Retrieval.Tools;

/// <summary>
/// The built-in <c>Search</c> tool: <c>Passage[] Search(string query, int k = 3)</c> over an
/// <see cref="IPassageSearcher"/>. Results cross the sandbox as a JSON array whose property names are exactly
/// the declared record's (<c>Id</c>, <c>Title</c>, <c>Text</c>, <c>Score</c>), so it deserialises into
/// <c>Passage</c> with or without case-insensitive matching.
/// </summary>
public sealed class SearchTool : IAgentTool
{
    /// <summary>The record agent code receives, compiled into the agent's code context.</summary>
    public const string PassageDeclaration = "public record Passage(string Id, string Title, string Text, double Score);";

    private readonly IPassageSearcher _searcher;
    private readonly SearchToolOptions _options;

    /// <summary>Creates the tool over <paramref name="searcher"/>; <paramref name="options"/> are validated here.</summary>
    public SearchTool(IPassageSearcher searcher, SearchToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        _searcher = searcher;
        _options = (options ?? new SearchToolOptions()).Validate();
        Definition = new ToolDefinition(
            Name: "Search",
            Description: $"Searches the knowledge corpus (BM25 keyword match over titles and texts) and returns up to k passages, best first (k at most {_options.MaxK}). Use specific keywords; an empty array means nothing matched.",
            Parameters:
            [
                new ToolParameter("query", "string", "Keywords or a short question; plain text, no query syntax."),
                new ToolParameter("k", "int", $"Number of passages to return, 1 to {_options.MaxK}.", _options.DefaultK.ToString(CultureInfo.InvariantCulture)),
            ],
            ReturnType: "Passage[]",
            TypeDeclarations: PassageDeclaration);
    }

    /// <inheritdoc />
    public ToolDefinition Definition { get; }

    /// <inheritdoc />
    public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();
        if (arguments.Count is < 1 or > 2)
            throw new ToolException($"Search takes (string query, int k = {_options.DefaultK}); got {arguments.Count} arguments.");
        if (arguments[0].ValueKind != JsonValueKind.String)
            throw new ToolException($"Search: query must be a string, got {arguments[0].ValueKind}.");
        var k = _options.DefaultK;
        if (arguments.Count == 2 && (arguments[1].ValueKind != JsonValueKind.Number || !arguments[1].TryGetInt32(out k)))
            throw new ToolException($"Search: k must be an integer, got {arguments[1].GetRawText()}.");
        if (k < 1)
            throw new ToolException($"Search: k must be at least 1, got {k}.");

        var hits = _searcher.Search(arguments[0].GetString()!, Math.Min(k, _options.MaxK));
        return ValueTask.FromResult<JsonNode?>(PassageJson.ToArray(hits, _options.MaxTextChars));
    }
}
