using System.ComponentModel;
using AgentKit.Retrieval.Search;
using Microsoft.SemanticKernel;

namespace SemanticKernelExample;

/// <summary>
/// The app's own Semantic Kernel plugin over its data (the atlas corpus, indexed with Lucene). It is an ordinary
/// plugin any SK orchestration can call; given to the agent as tools, its functions are what the agent's code calls.
/// The signatures are those the atlas model was distilled with, so its prompt is the one it knows.
/// </summary>
public sealed class AtlasPlugin(LuceneSearcher searcher)
{
    private const int MaxResults = 10;
    private readonly TitleMentionFinder _finder = new(searcher.AllPassages());

    /// <summary>The passages whose titles <paramref name="text"/> names, in order of mention.</summary>
    [KernelFunction, Description("Finds the passages whose titles are mentioned in text, in order of mention; idPrefix keeps only passages whose id starts with it.")]
    public Passage[] Mentions([Description("Text that names things, e.g. the question itself.")] string text,
        [Description("Keep only passages whose id starts with this; empty keeps all.")] string idPrefix = "") =>
        [.. _finder.Find(text, idPrefix).Take(MaxResults)];

    /// <summary>BM25 search over titles and texts, best first.</summary>
    [KernelFunction, Description("Searches the atlas (BM25 keyword match over titles and texts) and returns up to k passages, best first.")]
    public Passage[] Search([Description("Keywords or a short question.")] string query, [Description("Number of passages, 1 to 10.")] int k = 3) =>
        k is < 1 or > MaxResults
            ? throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {MaxResults}.")
            : [.. searcher.Search(query, k)];
}
