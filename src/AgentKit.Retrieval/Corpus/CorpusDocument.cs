namespace AgentKit.Retrieval.Corpus;

/// <summary>One passage of a corpus: a JSONL line <c>{"id": …, "title": …, "text": …}</c>.</summary>
/// <param name="Id">Unique, non-empty identifier.</param>
/// <param name="Title">Title of the passage (may be empty); boosted at search time.</param>
/// <param name="Text">Body of the passage.</param>
public sealed record CorpusDocument(string Id, string Title, string Text);
