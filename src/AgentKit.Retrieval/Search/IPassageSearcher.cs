namespace AgentKit.Retrieval.Search;

/// <summary>Ranked passage retrieval. Implementations are safe for concurrent searches.</summary>
public interface IPassageSearcher
{
    /// <summary>
    /// Returns at most <paramref name="k"/> passages for <paramref name="query"/>, best first. Any text is a
    /// valid query (no query syntax); a query with no searchable words returns an empty list.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    IReadOnlyList<Passage> Search(string query, int k);
}
