using AgentKit.Abstractions.Tools;
using AgentKit.Core.Definitions;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;

namespace AgentKit.Hosting;

/// <summary>
/// Builds the tools an agent definition names. Known tools: <c>Search</c> (BM25 search) and <c>Mentions</c>
/// (passages whose titles a text names), configured by <c>tool_settings.Search</c> / <c>tool_settings.Mentions</c>:
/// <c>index</c> (a Lucene index folder) or, when that folder holds no index, <c>corpus</c> (a JSONL corpus indexed
/// into a temporary folder for this process). Tools naming the same index or corpus share one opened index.
/// </summary>
/// <remarks>Not thread-safe: hosts build their tools once, before running agents.</remarks>
public sealed class AgentToolFactory : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly List<string> _tempFolders = [];
    // Keyed by the resolved index folder or corpus file, so Search and Mentions over one corpus open it once.
    private readonly Dictionary<string, LuceneSearcher> _searchers = new(StringComparer.Ordinal);
    private readonly Dictionary<LuceneSearcher, TitleMentionFinder> _finders = [];

    /// <summary>The tool names an agent definition may use.</summary>
    public static readonly IReadOnlyList<string> KnownTools = ["Search", "Mentions"];

    /// <summary>Indexes opened so far (tests check that tools over one corpus share it).</summary>
    internal int OpenedIndexCount => _searchers.Count;

    /// <summary>The tools <paramref name="agent"/>'s definition names, in its order; indexes stay open until <see cref="Dispose"/>.</summary>
    /// <exception cref="InvalidDataException">A tool is unknown or its settings name neither an index nor a corpus.</exception>
    public IReadOnlyList<IAgentTool> Create(LoadedAgent agent)
    {
        var tools = new List<IAgentTool>();
        foreach (var name in agent.Definition.Tools)
        {
            tools.Add(name.ToLowerInvariant() switch
            {
                "search" => new SearchTool(OpenSearcher(agent, "Search", Settings(agent, name))),
                "mentions" => MentionsOver(OpenSearcher(agent, "Mentions", Settings(agent, name))),
                _ => throw new InvalidDataException($"Agent '{agent.Definition.Name}' names unknown tool '{name}'; known tools: {string.Join(", ", KnownTools)}."),
            });
        }
        return tools;
    }

    private static IReadOnlyDictionary<string, string> Settings(LoadedAgent agent, string tool) =>
        agent.Definition.ToolSettings.FirstOrDefault(kv => string.Equals(kv.Key, tool, StringComparison.OrdinalIgnoreCase)).Value
        ?? new Dictionary<string, string>();

    // The finder holds titles only; the tool reads the texts it returns from the index.
    private MentionsTool MentionsOver(LuceneSearcher searcher)
    {
        if (!_finders.TryGetValue(searcher, out var finder))
            _finders[searcher] = finder = new TitleMentionFinder(searcher.AllTitles());
        return new MentionsTool(finder, searcher, options: null);
    }

    private LuceneSearcher OpenSearcher(LoadedAgent agent, string tool, IReadOnlyDictionary<string, string> settings)
    {
        var index = settings.TryGetValue("index", out var i) ? agent.ResolvePath(i) : null;
        var corpus = settings.TryGetValue("corpus", out var c) ? agent.ResolvePath(c) : null;
        if (index is not null && LuceneSearcher.IsIndex(index))
            return Cached("index:" + index, () => index);
        if (corpus is not null && File.Exists(corpus))
        {
            return Cached("corpus:" + corpus, () =>
            {
                var folder = Path.Combine(Path.GetTempPath(), "agentkit-index-" + Guid.NewGuid().ToString("N"));
                _tempFolders.Add(folder);
                new LuceneIndexBuilder().BuildFromFile(corpus, folder);
                return folder;
            });
        }
        throw new InvalidDataException(
            $"Agent '{agent.Definition.Name}': the {tool} tool needs tool_settings.{tool}.index (an index folder, built with 'agentkit index') " +
            $"or tool_settings.{tool}.corpus (a JSONL corpus); found neither (index: {index ?? "not set"}, corpus: {corpus ?? "not set"}).");
    }

    private LuceneSearcher Cached(string key, Func<string> indexFolder)
    {
        if (_searchers.TryGetValue(key, out var searcher))
            return searcher;
        searcher = LuceneSearcher.Open(indexFolder());
        _owned.Add(searcher);
        _searchers[key] = searcher;
        return searcher;
    }

    /// <summary>Closes the opened indexes and deletes the temporary ones.</summary>
    public void Dispose()
    {
        foreach (var owned in _owned)
            owned.Dispose();
        foreach (var folder in _tempFolders)
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { /* a leftover temporary index is harmless */ }
        }
    }
}
