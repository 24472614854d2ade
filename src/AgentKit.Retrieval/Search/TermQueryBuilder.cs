using AgentKit.Retrieval.Indexing;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace AgentKit.Retrieval.Search;

/// <summary>
/// Turns free text into a BM25 bag-of-words query without any query syntax: the text is run through the
/// index analyzer and every resulting word becomes a literal term. This is the strongest form of escaping
/// (quotes, AND/OR/NOT, parentheses, colons, wildcards and backslashes are just characters), so text written
/// by a user or a model can never cause a parse error.
/// </summary>
internal static class TermQueryBuilder
{
    /// <summary>Returns null when the text has no searchable words (empty, punctuation, stop words only).</summary>
    public static Query? Build(Analyzer analyzer, string text, float titleBoost, int maxTerms)
    {
        var terms = Analyze(analyzer, text, maxTerms);
        if (terms.Count == 0)
            return null;

        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term(IndexFields.Text, term)), Occur.SHOULD);
            query.Add(new TermQuery(new Term(IndexFields.Title, term)) { Boost = titleBoost }, Occur.SHOULD);
        }
        return query;
    }

    private static List<string> Analyze(Analyzer analyzer, string text, int maxTerms)
    {
        // Distinct terms in first-seen order: repeating a word in the query should not multiply its weight.
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = analyzer.GetTokenStream(IndexFields.Text, new StringReader(text));
        var termAttribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (terms.Count < maxTerms && stream.IncrementToken())
        {
            var term = termAttribute.ToString();
            if (seen.Add(term))
                terms.Add(term);
        }
        stream.End();
        return terms;
    }
}
