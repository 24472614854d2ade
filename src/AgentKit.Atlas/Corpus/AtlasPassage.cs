namespace AgentKit.Atlas.Corpus;

/// <summary>One corpus line, <c>{"id","title","text"}</c>, the format the Lucene indexer reads.</summary>
/// <param name="Id">Unique id, e.g. <c>country/peru</c>, <c>capital/lima</c>, <c>city/peru/arequipa</c>.</param>
/// <param name="Title">The country, capital or city name.</param>
/// <param name="Text">Plain sentences.</param>
public sealed record AtlasPassage(string Id, string Title, string Text);
