using System.Buffers;

namespace AgentKit.Retrieval.Search;

/// <summary>
/// Entity linking by exact title: finds the passages whose titles occur in a text as whole words. A title matches
/// ordinally (case-sensitive) where the characters just before and after it are not letters or digits, so
/// "Niger" does not match inside "Nigeria" but "Guinea" does match inside "Guinea-Bissau". Where matches
/// overlap the longest wins ("Equatorial Guinea" hides its "Guinea"). Built once; safe for concurrent reads.
/// </summary>
/// <remarks>
/// A lookup tries, from each position that may start a word, only the lengths some title has and that end at a
/// word boundary, probing a dictionary with a span (no allocation). That is a few hundred probes for a short
/// question whatever the number of titles.
/// </remarks>
public sealed class TitleMentionFinder
{
    private readonly Dictionary<string, Passage[]>.AlternateLookup<ReadOnlySpan<char>> _byTitle;
    private readonly SearchValues<char> _firstChars;
    private readonly bool[] _isTitleLength;

    /// <summary>Indexes the titles of <paramref name="passages"/>; passages with an empty title are left out.</summary>
    /// <remarks>Titles are matched without their leading and trailing white space; passages that share a title are kept together, ordered by id.</remarks>
    public TitleMentionFinder(IEnumerable<Passage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var groups = new Dictionary<string, List<Passage>>(StringComparer.Ordinal);
        foreach (var passage in passages)
        {
            ArgumentNullException.ThrowIfNull(passage, nameof(passages));
            var title = passage.Title?.Trim();
            if (string.IsNullOrEmpty(title) || passage.Id is null)
                continue;
            if (!groups.TryGetValue(title, out var group))
                groups[title] = group = [];
            group.Add(passage);
        }

        var byTitle = new Dictionary<string, Passage[]>(groups.Count, StringComparer.Ordinal);
        foreach (var (title, group) in groups)
            byTitle[title] = [.. group.OrderBy(p => p.Id, StringComparer.Ordinal)];
        _byTitle = byTitle.GetAlternateLookup<ReadOnlySpan<char>>();
        _firstChars = SearchValues.Create([.. byTitle.Keys.Select(t => t[0]).Distinct()]);
        _isTitleLength = new bool[byTitle.Keys.Select(t => t.Length).DefaultIfEmpty(0).Max() + 1];
        foreach (var title in byTitle.Keys)
            _isTitleLength[title.Length] = true;
        TitleCount = byTitle.Count;
    }

    /// <summary>Number of distinct titles indexed.</summary>
    public int TitleCount { get; }

    /// <summary>
    /// The passages whose titles <paramref name="text"/> mentions, in order of first mention; passages sharing a
    /// title come out together, ordered by id; each passage at most once. With a non-empty
    /// <paramref name="idPrefix"/> only passages whose id starts with it (ordinal) count, and they are chosen
    /// before overlaps are resolved, so a title is never hidden by a longer one whose passages were filtered out.
    /// </summary>
    /// <returns>An empty list for empty or white-space text or when nothing is mentioned.</returns>
    public IReadOnlyList<Passage> Find(string text, string idPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(idPrefix);
        if (string.IsNullOrWhiteSpace(text))
            return [];

        var matches = FindAllMatches(text, idPrefix);
        if (matches.Count == 0)
            return [];
        var chosen = ChooseLongestNonOverlapping(matches, text.Length);

        var result = new List<Passage>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var match in chosen)
        {
            foreach (var passage in match.Passages)
            {
                if (Keeps(passage, idPrefix) && seenIds.Add(passage.Id))
                    result.Add(passage);
            }
        }
        return result;
    }

    private List<TitleMatch> FindAllMatches(string text, string idPrefix)
    {
        var matches = new List<TitleMatch>();
        var maxLength = _isTitleLength.Length - 1;
        for (var start = 0; start < text.Length; start++)
        {
            if ((start > 0 && char.IsLetterOrDigit(text[start - 1])) || !_firstChars.Contains(text[start]))
                continue;
            var lastEnd = Math.Min(text.Length, start + maxLength);
            for (var end = start + 1; end <= lastEnd; end++)
            {
                if (!_isTitleLength[end - start] || (end < text.Length && char.IsLetterOrDigit(text[end])))
                    continue;
                if (_byTitle.TryGetValue(text.AsSpan(start, end - start), out var passages) && passages.Any(p => Keeps(p, idPrefix)))
                    matches.Add(new TitleMatch(start, end - start, passages));
            }
        }
        return matches;
    }

    /// <summary>Greedy: longest first, earlier first among equals; a match overlapping a chosen one is dropped.</summary>
    private static List<TitleMatch> ChooseLongestNonOverlapping(List<TitleMatch> matches, int textLength)
    {
        matches.Sort((a, b) => a.Length != b.Length ? b.Length.CompareTo(a.Length) : a.Start.CompareTo(b.Start));
        var taken = new bool[textLength];
        var chosen = new List<TitleMatch>(matches.Count);
        foreach (var match in matches)
        {
            var span = taken.AsSpan(match.Start, match.Length);
            if (span.Contains(true))
                continue;
            span.Fill(true);
            chosen.Add(match);
        }
        chosen.Sort((a, b) => a.Start.CompareTo(b.Start));
        return chosen;
    }

    private static bool Keeps(Passage passage, string idPrefix) =>
        idPrefix.Length == 0 || passage.Id.StartsWith(idPrefix, StringComparison.Ordinal);

    private readonly record struct TitleMatch(int Start, int Length, Passage[] Passages);
}
