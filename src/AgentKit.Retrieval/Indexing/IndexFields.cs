using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace AgentKit.Retrieval.Indexing;

/// <summary>Field names and analysis shared by the index builder and the searcher, so both always agree.</summary>
internal static class IndexFields
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    public const string Id = "id";
    public const string Title = "title";
    public const string Text = "text";

    /// <summary>StandardAnalyzer: Unicode word breaking, lower-casing, English stop words.</summary>
    public static Analyzer CreateAnalyzer() => new StandardAnalyzer(Version);
}
