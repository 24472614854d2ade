namespace AgentKit.Retrieval.Indexing;

/// <summary>What a finished index build produced.</summary>
/// <param name="Directory">The index directory.</param>
/// <param name="Documents">Documents indexed.</param>
/// <param name="Elapsed">Wall time of this run (of the resumed part only, after an interruption).</param>
/// <param name="SizeBytes">Total size of the index files.</param>
/// <param name="ResumedFrom">Documents committed by an earlier, interrupted run that this one continued (0 for a fresh build).</param>
/// <param name="Threads">Threads that analysed and added documents.</param>
public sealed record IndexBuildResult(string Directory, long Documents, TimeSpan Elapsed, long SizeBytes, long ResumedFrom = 0, int Threads = 1)
{
    /// <summary>Documents this run added per second.</summary>
    public double PassagesPerSecond => Elapsed > TimeSpan.Zero ? (Documents - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
