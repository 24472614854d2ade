namespace AgentKit.Retrieval.Search;

/// <summary>One ranked search hit.</summary>
/// <param name="Id">Id of the corpus document.</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">Its text.</param>
/// <param name="Score">BM25 score; higher is better, comparable only within one query.</param>
public sealed record Passage(string Id, string Title, string Text, double Score);
