namespace AgentKit.Fuzzing;

/// <summary>One distinct finding (deduplicated by signature).</summary>
/// <param name="Id">File name under <c>crashes/</c>.</param>
/// <param name="Kind">exception, stack-overflow, access-violation, oom or worker-died.</param>
/// <param name="File">Path of the saved (minimised) input.</param>
/// <param name="Signature">Exception type (or death kind) and top frames.</param>
public sealed record FuzzCrash(string Id, string Kind, string File, string Signature);

/// <summary>Live figures of a running campaign.</summary>
/// <param name="Elapsed">Time since this session started.</param>
/// <param name="Execs">Inputs run this session.</param>
/// <param name="ExecsPerSecond">Average rate this session.</param>
/// <param name="Edges">Coverage map cells reached.</param>
/// <param name="Corpus">Kept inputs.</param>
/// <param name="Crashes">Distinct crashes.</param>
/// <param name="Hangs">Saved hangs.</param>
public sealed record FuzzProgress(TimeSpan Elapsed, long Execs, double ExecsPerSecond, int Edges, int Corpus, int Crashes, int Hangs);

/// <summary>The result of a campaign (the JSON of <c>agentkit fuzz --json</c>).</summary>
public sealed record FuzzReport
{
    /// <summary>builtin or afl.</summary>
    public required string Engine { get; init; }

    /// <summary>Inputs run in this session.</summary>
    public required long Execs { get; init; }

    /// <summary>Execs per wall-clock second.</summary>
    public required double ExecsPerSecond { get; init; }

    /// <summary>Coverage map cells reached (for afl: its <c>edges_found</c>).</summary>
    public required int Edges { get; init; }

    /// <summary>Inputs in the corpus.</summary>
    public required int Corpus { get; init; }

    /// <summary>Distinct crashes, old (resumed) and new.</summary>
    public required IReadOnlyList<FuzzCrash> Crashes { get; init; }

    /// <summary>Saved hangs.</summary>
    public required int Hangs { get; init; }

    /// <summary>Wall time of this session in seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>Seconds from the start of this session to its first new crash (null: none).</summary>
    public double? FirstCrashSeconds { get; init; }

    /// <summary>Workers (cores) used.</summary>
    public required int Workers { get; init; }

    /// <summary>Execs of this and earlier sessions of the same campaign directory.</summary>
    public long TotalExecs { get; init; }

    /// <summary>The campaign directory.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>PNG of edges over time (null when it could not be drawn).</summary>
    public string? PlotFile { get; init; }

    /// <summary>With a sync directory: inputs read from other instances' queues this session (null: not syncing).</summary>
    public int? SyncImported { get; init; }

    /// <summary>With a sync directory: inputs in this instance's queue for the others (this and earlier sessions).</summary>
    public int? SyncExported { get; init; }

    /// <summary>With model-written inputs (<see cref="FuzzCampaignOptions.LanguageModel"/>): what they cost and brought; null otherwise.</summary>
    public LanguageModel.LmReport? Lm { get; init; }

    /// <summary>
    /// In-process mode only: seconds the workers' fuzz loops spent running the target, summed over workers. Divided by
    /// <see cref="Workers"/> × <see cref="Seconds"/> it is the target's share of the cores; the rest is the engine's
    /// overhead, start-up and idle time, so it bounds how much faster any engine could run the same inputs. Null otherwise.
    /// </summary>
    public double? TargetSeconds { get; init; }

    /// <summary>
    /// <see cref="TargetSeconds"/> ÷ (<see cref="Workers"/> × <see cref="Seconds"/>): the share of the workers' time spent
    /// in the target, rounded to 3 decimals; null where <see cref="TargetSeconds"/> is.
    /// </summary>
    public double? TargetShare => TargetSeconds is { } target ? Math.Round(target / Math.Max(Workers * Seconds, 1e-9), 3) : null;

    /// <summary>afl only: crash files afl saved that ran clean (or hung) when replayed through our runner, so have no signature.</summary>
    public int? UnreproducedCrashes { get; init; }
}
