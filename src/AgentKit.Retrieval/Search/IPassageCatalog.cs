namespace AgentKit.Retrieval.Search;

/// <summary>A passage store that can list everything it holds, e.g. to build a <see cref="TitleMentionFinder"/>.</summary>
public interface IPassageCatalog
{
    /// <summary>Every stored passage once, in storage order, each with <see cref="Passage.Score"/> 0.</summary>
    IEnumerable<Passage> AllPassages();

    /// <summary>
    /// Every stored passage once, in storage order, with its id and title only (<see cref="Passage.Text"/> empty): what a
    /// <see cref="TitleMentionFinder"/> indexes, without holding a large corpus's texts in memory.
    /// </summary>
    IEnumerable<Passage> AllTitles() => AllPassages().Select(p => p with { Text = "" });

    /// <summary>The stored passages with these ids, in the order asked, each with <see cref="Passage.Score"/> 0; ids not stored are left out.</summary>
    /// <remarks>The default scans <see cref="AllPassages"/> on every call; a store that can look passages up by id should override it.</remarks>
    IReadOnlyList<Passage> Passages(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var found = AllPassages().Where(p => wanted.Contains(p.Id)).GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }
}
