using AgentKit.Abstractions.Tools;
using AgentKit.Core.Definitions;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;

namespace AgentKit.Cli.Hosting;

/// <summary>
/// Builds the tools an agent definition names. Known tools: <c>Search</c>, configured by
/// <c>tool_settings.Search</c>: <c>index</c> (a Lucene index folder) or, when that folder holds no index,
/// <c>corpus</c> (a JSONL corpus indexed into a temporary folder for this process).
/// </summary>
internal sealed class AgentToolFactory : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly List<string> _tempFolders = [];

    public static readonly IReadOnlyList<string> KnownTools = ["Search"];

    public IReadOnlyList<IAgentTool> Create(LoadedAgent agent)
    {
        var tools = new List<IAgentTool>();
        foreach (var name in agent.Definition.Tools)
        {
            tools.Add(name.ToLowerInvariant() switch
            {
                "search" => CreateSearch(agent, Settings(agent, name)),
                _ => throw new InvalidDataException($"Agent '{agent.Definition.Name}' names unknown tool '{name}'; known tools: {string.Join(", ", KnownTools)}."),
            });
        }
        return tools;
    }

    private static IReadOnlyDictionary<string, string> Settings(LoadedAgent agent, string tool) =>
        agent.Definition.ToolSettings.FirstOrDefault(kv => string.Equals(kv.Key, tool, StringComparison.OrdinalIgnoreCase)).Value
        ?? new Dictionary<string, string>();

    private SearchTool CreateSearch(LoadedAgent agent, IReadOnlyDictionary<string, string> settings)
    {
        var index = settings.TryGetValue("index", out var i) ? agent.ResolvePath(i) : null;
        var corpus = settings.TryGetValue("corpus", out var c) ? agent.ResolvePath(c) : null;
        string folder;
        if (index is not null && LuceneSearcher.IsIndex(index))
        {
            folder = index;
        }
        else if (corpus is not null && File.Exists(corpus))
        {
            folder = Path.Combine(Path.GetTempPath(), "agentkit-index-" + Guid.NewGuid().ToString("N"));
            _tempFolders.Add(folder);
            new LuceneIndexBuilder().BuildFromFile(corpus, folder);
        }
        else
        {
            throw new InvalidDataException(
                $"Agent '{agent.Definition.Name}': the Search tool needs tool_settings.Search.index (an index folder, built with 'agentkit index') " +
                $"or tool_settings.Search.corpus (a JSONL corpus); found neither (index: {index ?? "not set"}, corpus: {corpus ?? "not set"}).");
        }
        var searcher = LuceneSearcher.Open(folder);
        _owned.Add(searcher);
        return new SearchTool(searcher);
    }

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
