using System.Diagnostics;
using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;

namespace AgentKit.Retrieval.Bench;

/// <summary>
/// Retrieval at wiki scale: writes a <see cref="SyntheticCorpus"/> as a wiki-18-style TSV, indexes it with
/// <see cref="LuceneIndexBuilder"/> (passages/s, peak memory, index size), times k=3 searches (p50/p99), and compares one
/// indexing thread with N on a prefix of the same corpus.
/// </summary>
public static class IndexBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="progress"/> receives one line per stage.</summary>
    public static IndexBenchmarkReport Run(IndexBenchmarkOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.OutputDirectory);
        var corpusPath = Path.Combine(options.OutputDirectory, "corpus.tsv");
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Passages = options.Passages, Seed = options.Seed });

        progress?.Report($"writing {options.Passages:N0} passages to {corpusPath}");
        var clock = Stopwatch.StartNew();
        CorpusWriter.Write(corpus.Documents(), corpusPath, CorpusFormat.Tsv);
        var generateSeconds = clock.Elapsed.TotalSeconds;

        progress?.Report($"indexing with {options.Threads} thread(s)");
        var indexPath = Path.Combine(options.OutputDirectory, "index");
        var (build, peakHeap) = BuildSampled(corpusPath, indexPath, options.Threads, progress, cancellationToken);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peakWorkingSet = self.PeakWorkingSet64;

        progress?.Report($"timing {options.Queries:N0} searches");
        var (p50, p99, meanHits) = TimeQueries(indexPath, corpus.Queries(options.Queries + 100), warmUp: 100, cancellationToken);

        var peer = MeasurePeer(corpus, options, progress, cancellationToken);
        return new IndexBenchmarkReport(options.Passages, options.Threads, Environment.ProcessorCount, new FileInfo(corpusPath).Length, generateSeconds,
            build.Elapsed.TotalSeconds, build.PassagesPerSecond, peakWorkingSet, peakHeap, build.SizeBytes, options.Queries, p50, p99, meanHits, peer);
    }

    private static (IndexBuildResult Result, long PeakHeap) BuildSampled(
        string corpusPath, string indexPath, int threads, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        long peakHeap = 0;
        using var sampler = new Timer(_ => InterlockedMax(ref peakHeap, GC.GetTotalMemory(false)), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        var lastReport = 0L;
        var reports = new SyncProgress(p =>
        {
            if (p.Documents - lastReport < 200_000)
                return;
            lastReport = p.Documents;
            progress?.Report($"  {p.Documents:N0} passages, {p.PassagesPerSecond:N0}/s");
        });
        var result = Builder(threads).BuildFromFile(corpusPath, indexPath, reports, cancellationToken);
        return (result, Interlocked.Read(ref peakHeap));
    }

    private static LuceneIndexBuilder Builder(int threads) => new(new LuceneIndexOptions { Threads = threads, Resume = false });

    private static (double P50, double P99, double MeanHits) TimeQueries(string indexPath, IReadOnlyList<string> queries, int warmUp, CancellationToken cancellationToken)
    {
        using var searcher = LuceneSearcher.Open(indexPath);
        for (var i = 0; i < warmUp; i++)
            searcher.Search(queries[i], 3);
        var timings = new double[queries.Count - warmUp];
        long hits = 0;
        for (var i = warmUp; i < queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            hits += searcher.Search(queries[i], 3).Count;
            timings[i - warmUp] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(timings);
        return (Percentile(timings, 0.50), Percentile(timings, 0.99), (double)hits / timings.Length);
    }

    private static IndexThreadsPeer MeasurePeer(SyntheticCorpus corpus, IndexBenchmarkOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var prefixPath = Path.Combine(options.OutputDirectory, "peer-corpus.tsv");
        CorpusWriter.Write(corpus.Documents().Take(checked((int)options.PeerPassages)), prefixPath, CorpusFormat.Tsv);
        double Throughput(int threads)
        {
            progress?.Report($"peer: {options.PeerPassages:N0} passages with {threads} thread(s)");
            var result = Builder(threads).BuildFromFile(prefixPath, Path.Combine(options.OutputDirectory, $"peer-index-{threads}"), null, cancellationToken);
            return result.PassagesPerSecond;
        }
        var one = Throughput(1);
        var many = Throughput(options.Threads);
        return new IndexThreadsPeer(options.PeerPassages, one, options.Threads, many, many / one);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
            current = seen;
    }

    /// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<IndexProgress> handler) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => handler(value);
    }
}
