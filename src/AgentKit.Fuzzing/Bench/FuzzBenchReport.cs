namespace AgentKit.Fuzzing.Bench;

/// <summary>One run of one engine.</summary>
/// <param name="Engine">builtin or afl.</param>
/// <param name="Repetition">1-based repetition number.</param>
/// <param name="Execs">Inputs run.</param>
/// <param name="ExecsPerSecond">Execs per wall-clock second.</param>
/// <param name="Edges">The engine's own edge figure (builtin: map cells; afl: <c>edges_found</c>).</param>
/// <param name="EdgesReplayed">Distinct map cells when the engine's final corpus is replayed through our worker (same yardstick for both).</param>
/// <param name="Corpus">The engine's corpus size.</param>
/// <param name="Crashes">Distinct crashes (by our signature).</param>
/// <param name="FirstCrashSeconds">Wall seconds to the first crash (null: none within the run).</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="OutputDirectory">The run's campaign directory.</param>
/// <param name="TargetShare">builtin in-process only: the share of the workers' time spent running the target
/// (<see cref="FuzzReport.TargetShare"/>); null otherwise.</param>
public sealed record FuzzBenchRun(string Engine, int Repetition, long Execs, double ExecsPerSecond, int Edges, int EdgesReplayed, int Corpus,
    int Crashes, double? FirstCrashSeconds, double Seconds, string OutputDirectory, double? TargetShare = null);

/// <summary>Medians of one engine's runs.</summary>
/// <param name="Engine">builtin or afl.</param>
/// <param name="ExecsPerSecond">Median execs/s.</param>
/// <param name="Edges">Median of the engine's own edge figure.</param>
/// <param name="EdgesReplayed">Median replayed edges.</param>
/// <param name="Corpus">Median corpus size.</param>
/// <param name="FirstCrashSeconds">Each run's time to first crash (null: none within the run).</param>
/// <param name="FirstCrashMedian">Median time to first crash, runs without one counting as slower than all others (null: no crash in at least half the runs).</param>
/// <param name="RunsWithCrash">Runs that found a crash.</param>
/// <param name="TargetShare">Median share of the workers' time in the target (builtin in-process only; null otherwise).</param>
public sealed record FuzzBenchEngineSummary(string Engine, double ExecsPerSecond, double Edges, double EdgesReplayed, double Corpus,
    IReadOnlyList<double?> FirstCrashSeconds, double? FirstCrashMedian, int RunsWithCrash, double? TargetShare = null);

/// <summary>builtin ÷ afl of the medians (null where afl's figure is 0).</summary>
/// <param name="ExecsPerSecond">Throughput ratio.</param>
/// <param name="EdgesReplayed">Coverage ratio on the common yardstick.</param>
/// <param name="Edges">Ratio of the engines' own edge figures.</param>
/// <param name="Corpus">Corpus size ratio.</param>
/// <param name="FirstCrashSeconds">Time-to-first-crash ratio (below 1: builtin finds it sooner).</param>
/// <param name="ExecsPerSecondCeiling">The throughput ratio the builtin engine would reach with no overhead at all on its
/// own inputs (<see cref="ExecsPerSecond"/> ÷ builtin's target share): where it is under 2, no engine change reaches
/// 2× afl on this harness without running cheaper inputs. Null without a target share.</param>
public sealed record FuzzBenchRatios(double? ExecsPerSecond, double? EdgesReplayed, double? Edges, double? Corpus, double? FirstCrashSeconds,
    double? ExecsPerSecondCeiling = null);

/// <summary>The result of <c>agentkit bench fuzz</c>.</summary>
/// <param name="Target">The target as given.</param>
/// <param name="Harness">The harness name.</param>
/// <param name="Seconds">Wall time per run.</param>
/// <param name="Workers">Workers (builtin) and afl instances per run.</param>
/// <param name="Repeat">Runs per engine.</param>
/// <param name="UntilCrash">True when runs stopped at their first crash.</param>
/// <param name="Runs">Every run, in the order they ran.</param>
/// <param name="Builtin">Medians of the builtin engine.</param>
/// <param name="Afl">Medians of afl++.</param>
/// <param name="Ratios">builtin ÷ afl.</param>
public sealed record FuzzBenchReport(string Target, string Harness, double Seconds, int Workers, int Repeat, bool UntilCrash,
    IReadOnlyList<FuzzBenchRun> Runs, FuzzBenchEngineSummary Builtin, FuzzBenchEngineSummary Afl, FuzzBenchRatios Ratios);
