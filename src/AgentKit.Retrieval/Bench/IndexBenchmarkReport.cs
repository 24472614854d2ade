namespace AgentKit.Retrieval.Bench;

/// <summary>Figures of one <see cref="IndexBenchmark"/> run.</summary>
/// <param name="Passages">Passages of the main run.</param>
/// <param name="Threads">Indexing threads of the main run.</param>
/// <param name="ProcessorCount">Cores the process saw (the machine may be shared; see the README).</param>
/// <param name="CorpusBytes">Size of the generated TSV corpus.</param>
/// <param name="GenerateSeconds">Time to write the corpus.</param>
/// <param name="BuildSeconds">Time of the main build, reading, analysis, id check and final merge included.</param>
/// <param name="PassagesPerSecond">Passages / <paramref name="BuildSeconds"/>.</param>
/// <param name="PeakWorkingSetBytes">Most resident memory of the process up to the end of the main build (generation included).</param>
/// <param name="PeakManagedHeapBytes">Largest managed heap sampled during the main build.</param>
/// <param name="IndexBytes">Size of the finished index on disk.</param>
/// <param name="Queries">Timed searches (k=3).</param>
/// <param name="QueryP50Ms">Median search latency in milliseconds.</param>
/// <param name="QueryP99Ms">99th-percentile search latency in milliseconds.</param>
/// <param name="QueryMeanHits">Average passages returned per search.</param>
/// <param name="Peer">One thread against <paramref name="Threads"/> on a corpus prefix, measured in the same run.</param>
public sealed record IndexBenchmarkReport(
    long Passages, int Threads, int ProcessorCount, long CorpusBytes, double GenerateSeconds, double BuildSeconds, double PassagesPerSecond,
    long PeakWorkingSetBytes, long PeakManagedHeapBytes, long IndexBytes, int Queries, double QueryP50Ms, double QueryP99Ms, double QueryMeanHits,
    IndexThreadsPeer Peer);

/// <summary>The peer comparison: the same corpus prefix indexed with one thread and with N.</summary>
/// <param name="Passages">Passages of the prefix.</param>
/// <param name="OneThreadPassagesPerSecond">Throughput with one indexing thread.</param>
/// <param name="Threads">N.</param>
/// <param name="ThreadsPassagesPerSecond">Throughput with N indexing threads.</param>
/// <param name="Ratio">N-thread throughput / one-thread throughput.</param>
public sealed record IndexThreadsPeer(long Passages, double OneThreadPassagesPerSecond, int Threads, double ThreadsPassagesPerSecond, double Ratio);
