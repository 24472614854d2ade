using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Tasks;

namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>One benchmark file read by <see cref="BenchmarkFile"/>: its questions and how to score them.</summary>
/// <param name="Name">The set's name: the examples' <c>dataset_name</c> without an owner prefix ("hotpot_qa", "GSM-hard"),
/// else <c>metadata.dataset_info.name</c>, else the file name without extension.</param>
/// <param name="Kind">How the set is scored (from the names, or as the caller named it).</param>
/// <param name="DatasetInfoName"><c>metadata.dataset_info.name</c> as written, when there is one.</param>
/// <param name="Split">The examples' <c>split</c> (or <c>metadata.dataset_info.fold</c>), when given.</param>
/// <param name="Tasks">The usable questions, with their gold answers, in file order (never empty).</param>
/// <param name="Skipped">Examples left out and why (1-based positions in <c>examples</c>).</param>
/// <param name="SourceName">The file's name, for messages.</param>
public sealed record BenchmarkSet(string Name, BenchmarkKind Kind, string? DatasetInfoName, string? Split,
    IReadOnlyList<TrajectoryTask> Tasks, IReadOnlyList<SkippedTask> Skipped, string SourceName)
{
    /// <summary>The scorer of this set.</summary>
    public BenchmarkScorer Scorer() => new(Kind);
}
