namespace AgentKit.Retrieval.Indexing;

/// <summary>What a finished index build produced.</summary>
/// <param name="Directory">The index directory.</param>
/// <param name="Documents">Documents indexed.</param>
/// <param name="Elapsed">Wall time of the build.</param>
/// <param name="SizeBytes">Total size of the index files.</param>
public sealed record IndexBuildResult(string Directory, long Documents, TimeSpan Elapsed, long SizeBytes);
