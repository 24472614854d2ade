using AgentKit.Fuzzing.Afl;

namespace AgentKit.Fuzzing.Bench;

/// <summary>
/// builtin against afl++ on the same instrumented target, wall time and worker count: throughput, coverage (each
/// engine's own figure and both final corpora replayed through our worker), corpus size, and time to the first crash.
/// Runs alternate (builtin, afl, builtin, …) so a change in machine load hits both engines alike.
/// </summary>
public static class EngineComparison
{
    /// <summary>Runs the comparison; <paramref name="progress"/> gets a line per run.</summary>
    /// <exception cref="InvalidOperationException">afl-fuzz is missing, or a run could not start.</exception>
    public static async Task<FuzzBenchReport> RunAsync(FuzzTarget target, FuzzHarness harness, FuzzBenchOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(harness);
        options.Validate();
        if (AflCampaign.FindAflFuzz() is null)
            throw new InvalidOperationException("afl-fuzz not found on PATH: install the Debian package afl++ (apt-get install afl++)");

        var runs = new List<FuzzBenchRun>();
        for (var repetition = 1; repetition <= options.Repeat; repetition++)
        {
            foreach (var engine in new[] { "builtin", "afl" })
            {
                cancellationToken.ThrowIfCancellationRequested();
                var directory = Path.Combine(Path.GetFullPath(options.OutputDirectory), $"{engine}-{repetition}");
                if (Directory.Exists(directory))
                    Directory.Delete(directory, recursive: true); // every run starts from nothing
                var instrumented = FuzzCampaign.Prepare(target, harness, directory, options.CacheDirectory);
                var campaign = new FuzzCampaignOptions
                {
                    OutputDirectory = directory, Duration = options.Duration, Workers = options.Workers, ExecTimeout = options.ExecTimeout,
                    StopAfterCrashes = options.UntilCrash ? 1 : null, Mode = options.Mode,
                };
                progress?.Report($"{engine} run {repetition}/{options.Repeat}: {options.Duration.TotalSeconds:F0} s, {options.Workers} worker(s)");
                var report = engine == "afl"
                    ? await AflCampaign.RunAsync(instrumented, harness, campaign, null, cancellationToken).ConfigureAwait(false)
                    : await FuzzCampaign.RunAsync(instrumented, harness, campaign, null, cancellationToken).ConfigureAwait(false);
                var corpus = engine == "afl"
                    ? Directory.EnumerateDirectories(Path.Combine(directory, "afl", "out")).SelectMany(d => Directory.Exists(Path.Combine(d, "queue")) ? Directory.EnumerateFiles(Path.Combine(d, "queue")) : [])
                    : Directory.EnumerateFiles(Path.Combine(directory, "corpus"));
                var replayed = CorpusCoverage.CountEdges(directory, corpus.Order(StringComparer.Ordinal).ToList(), options.ExecTimeout);
                var run = new FuzzBenchRun(engine, repetition, report.Execs, report.ExecsPerSecond, report.Edges, replayed, report.Corpus,
                    report.Crashes.Count, report.FirstCrashSeconds, report.Seconds, directory,
                    report.TargetShare);
                runs.Add(run);
                progress?.Report($"{engine} run {repetition}: {run.ExecsPerSecond:F0} execs/s, edges {run.Edges} (replayed {run.EdgesReplayed}), corpus {run.Corpus}, first crash {(run.FirstCrashSeconds is { } s ? $"{s:F1} s" : "none")}");
            }
        }

        var builtin = Summarize("builtin", runs);
        var afl = Summarize("afl", runs);
        var ratios = new FuzzBenchRatios(Ratio(builtin.ExecsPerSecond, afl.ExecsPerSecond), Ratio(builtin.EdgesReplayed, afl.EdgesReplayed),
            Ratio(builtin.Edges, afl.Edges), Ratio(builtin.Corpus, afl.Corpus),
            builtin.FirstCrashMedian is { } b && afl.FirstCrashMedian is { } a ? Ratio(b, a) : null,
            builtin.TargetShare is > 0 and var share && Ratio(builtin.ExecsPerSecond, afl.ExecsPerSecond) is { } ratio ? Math.Round(ratio / share, 2) : null);
        return new FuzzBenchReport(target.Description, harness.Name, options.Duration.TotalSeconds, options.Workers, options.Repeat, options.UntilCrash,
            runs, builtin, afl, ratios);
    }

    private static FuzzBenchEngineSummary Summarize(string engine, List<FuzzBenchRun> runs)
    {
        var mine = runs.Where(r => r.Engine == engine).ToList();
        var times = mine.Select(r => r.FirstCrashSeconds).ToList();
        return new FuzzBenchEngineSummary(engine, Median(mine.Select(r => r.ExecsPerSecond)), Median(mine.Select(r => (double)r.Edges)),
            Median(mine.Select(r => (double)r.EdgesReplayed)), Median(mine.Select(r => (double)r.Corpus)),
            times, MedianTime(times), times.Count(t => t is not null),
            mine.All(r => r.TargetShare is not null) && mine.Count > 0 ? Median(mine.Select(r => r.TargetShare!.Value)) : null);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return 0;
        var middle = sorted.Count / 2;
        return Math.Round(sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, 2);
    }

    /// <summary>A run without a crash counts as slower than any with one; the median is null when it falls on such a run.</summary>
    internal static double? MedianTime(IReadOnlyList<double?> times)
    {
        var sorted = times.Select(t => t ?? double.PositiveInfinity).Order().ToList();
        if (sorted.Count == 0)
            return null;
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return double.IsFinite(median) ? Math.Round(median, 2) : null;
    }

    private static double? Ratio(double builtin, double afl) => afl > 0 ? Math.Round(builtin / afl, 2) : null;
}
