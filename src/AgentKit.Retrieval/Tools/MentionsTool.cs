using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Tools;
using AgentKit.Retrieval.Search;

namespace AgentKit.Retrieval.Tools;

/// <summary>
/// The built-in <c>Mentions</c> tool: <c>Passage[] Mentions(string text, string idPrefix = "")</c>, entity linking
/// with a <see cref="TitleMentionFinder"/>. Agent code passes the question (or any text) and gets the passages it
/// names, without having to copy the names itself. Results have the JSON shape of <see cref="SearchTool"/> and
/// declare the same <c>Passage</c> record (<see cref="SearchTool.PassageDeclaration"/>) with <c>Score</c> 0.
/// </summary>
public sealed class MentionsTool : IAgentTool
{
    private readonly TitleMentionFinder _finder;
    private readonly IPassageCatalog? _texts;
    private readonly MentionsToolOptions _options;

    /// <summary>Creates the tool over <paramref name="finder"/>, answering with the passages it holds; <paramref name="options"/> are validated here.</summary>
    public MentionsTool(TitleMentionFinder finder, MentionsToolOptions? options = null)
        : this(finder, null, options)
    {
    }

    /// <summary>
    /// Creates the tool over <paramref name="finder"/>, fetching the texts of the passages it finds from
    /// <paramref name="texts"/> (when not null): the finder can then hold titles only (<see cref="IPassageCatalog.AllTitles"/>).
    /// <paramref name="options"/> has no default so that <c>new MentionsTool(finder, null)</c> stays unambiguous.
    /// </summary>
    public MentionsTool(TitleMentionFinder finder, IPassageCatalog? texts, MentionsToolOptions? options)
    {
        ArgumentNullException.ThrowIfNull(finder);
        _finder = finder;
        _texts = texts;
        _options = (options ?? new MentionsToolOptions()).Validate();
        Definition = new ToolDefinition(
            Name: "Mentions",
            Description: $"Finds the passages whose titles are mentioned in text (whole words; the longest name wins where names overlap), in order of mention, at most {_options.MaxResults}; idPrefix keeps only passages whose id starts with it.",
            Parameters:
            [
                new ToolParameter("text", "string", "Text that names things, e.g. the question itself."),
                new ToolParameter("idPrefix", "string", "Keep only passages whose id starts with this; empty keeps all.", "\"\""),
            ],
            ReturnType: "Passage[]",
            TypeDeclarations: SearchTool.PassageDeclaration);
    }

    /// <summary>
    /// Creates the tool over every passage of <paramref name="catalog"/>: titles are indexed once, here; texts are read
    /// from the catalog when a call returns them, so a large corpus is not held in memory.
    /// </summary>
    public MentionsTool(IPassageCatalog catalog, MentionsToolOptions? options = null)
        : this(new TitleMentionFinder((catalog ?? throw new ArgumentNullException(nameof(catalog))).AllTitles()), catalog, options)
    {
    }

    /// <inheritdoc />
    public ToolDefinition Definition { get; }

    /// <inheritdoc />
    public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();
        if (arguments.Count is < 1 or > 2)
            throw new ToolException($"Mentions takes (string text, string idPrefix = \"\"); got {arguments.Count} arguments.");
        if (arguments[0].ValueKind != JsonValueKind.String)
            throw new ToolException($"Mentions: text must be a string, got {arguments[0].ValueKind}.");
        if (arguments.Count == 2 && arguments[1].ValueKind != JsonValueKind.String)
            throw new ToolException($"Mentions: idPrefix must be a string, got {arguments[1].ValueKind}.");

        var idPrefix = arguments.Count == 2 ? arguments[1].GetString()! : "";
        IReadOnlyList<Passage> passages = [.. _finder.Find(arguments[0].GetString()!, idPrefix).Take(_options.MaxResults)];
        if (_texts is not null)
            passages = _texts.Passages([.. passages.Select(p => p.Id)]);
        return ValueTask.FromResult<JsonNode?>(PassageJson.ToArray(passages, _options.MaxTextChars));
    }
}
