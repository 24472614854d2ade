namespace AgentKit.Retrieval.Search;

/// <summary>A passage store that can list everything it holds, e.g. to build a <see cref="TitleMentionFinder"/>.</summary>
public interface IPassageCatalog
{
    /// <summary>Every stored passage once, in storage order, each with <see cref="Passage.Score"/> 0.</summary>
    IEnumerable<Passage> AllPassages();
}
