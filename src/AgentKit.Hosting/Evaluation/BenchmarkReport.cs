using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Hosting.Evaluation;

/// <summary>One question of one set at one N.</summary>
/// <param name="Id">The example's id.</param>
/// <param name="Question">The question.</param>
/// <param name="Gold">The gold answer.</param>
/// <param name="Prediction">The agent's final answer, or the chain-of-thought answer after extraction and vote (null: none).</param>
/// <param name="Extracted">What was compared with the gold answer (math: the extracted answer).</param>
/// <param name="Correct">The set's criterion: exact match (QA) or equivalence (math).</param>
/// <param name="ExactMatch">QA only: normalised exact match.</param>
/// <param name="F1">QA only: token F1.</param>
/// <param name="Judge">The judge's verdict with its prompt and reply, when a judge was given.</param>
/// <param name="Steps">Agent mode: action steps taken (0 in chain-of-thought mode).</param>
/// <param name="Seconds">Wall time of the question.</param>
/// <param name="Replies">Chain-of-thought mode: every sampled reply (null in agent mode).</param>
/// <param name="Error">Why the run failed, if it did (the question then counts as wrong).</param>
public sealed record BenchmarkQuestionResult(string Id, string Question, string Gold, string? Prediction, string? Extracted, bool Correct,
    bool? ExactMatch, double? F1, JudgeVerdict? Judge, int Steps, double Seconds, IReadOnlyList<string>? Replies, string? Error)
{
    /// <summary>Agent mode with <see cref="BenchmarkEvalOptions.FirstThought"/>: the prefix forced as the start of the run (null: none).</summary>
    public string? FirstThought { get; init; }
}

/// <summary>One set at one N.</summary>
/// <param name="Name">The set's name (<see cref="BenchmarkSet.Name"/>).</param>
/// <param name="Kind">How it was scored.</param>
/// <param name="Source">The benchmark file's name.</param>
/// <param name="N">Candidate actions per step, or chain-of-thought samples.</param>
/// <param name="Questions">Questions run.</param>
/// <param name="Skipped">Examples of the file left out as unusable.</param>
/// <param name="Accuracy">Share correct by the set's criterion (QA: exact match; math: equivalence), 4 decimals.</param>
/// <param name="F1">QA only: mean token F1.</param>
/// <param name="JudgeAccuracy">Share the judge called correct (unparseable verdicts count as not correct), when a judge was given.</param>
/// <param name="JudgeUnparseable">Judge replies without a verdict.</param>
/// <param name="Errors">Questions whose run failed.</param>
/// <param name="SecondsPerQuestion">Mean wall time per question.</param>
/// <param name="Results">Per question.</param>
public sealed record BenchmarkSetResult(string Name, BenchmarkKind Kind, string Source, int N, int Questions, int Skipped, double Accuracy,
    double? F1, double? JudgeAccuracy, int JudgeUnparseable, int Errors, double SecondsPerQuestion, IReadOnlyList<BenchmarkQuestionResult> Results);

/// <summary>The unweighted mean over sets at one N (each set counts once, whatever its size, as in the paper's average).</summary>
/// <param name="N">Candidate actions per step, or chain-of-thought samples.</param>
/// <param name="Sets">Sets averaged.</param>
/// <param name="Accuracy">Mean of the sets' accuracies.</param>
/// <param name="JudgeAccuracy">Mean of the sets' judge accuracies, when a judge was given.</param>
public sealed record BenchmarkAverage(int N, int Sets, double Accuracy, double? JudgeAccuracy);

/// <summary>The judge of a run, stored so that its verdicts can be read and repeated.</summary>
/// <param name="Model">The judge model's name.</param>
/// <param name="Source">Where it was served from.</param>
/// <param name="Instructions">The instructions heading every judge prompt (each question's full prompt is in its verdict).</param>
public sealed record BenchmarkJudgeInfo(string Model, string Source, string Instructions);

/// <summary>What <see cref="BenchmarkEvaluation.RunAsync"/> found; <see cref="BenchmarkReportFile"/> saves and loads it for comparisons.</summary>
/// <param name="Mode">Agent or chain of thought.</param>
/// <param name="Model">The answering model's name.</param>
/// <param name="CandidateCounts">The values of N run.</param>
/// <param name="Judge">The judge, when one was given.</param>
/// <param name="Sets">Per set and N, sets in the order given, N ascending within a set as given.</param>
/// <param name="Averages">Per N.</param>
public sealed record BenchmarkReport(BenchmarkMode Mode, string Model, IReadOnlyList<int> CandidateCounts, BenchmarkJudgeInfo? Judge,
    IReadOnlyList<BenchmarkSetResult> Sets, IReadOnlyList<BenchmarkAverage> Averages);

/// <summary>Progress of a benchmark run, reported after every question.</summary>
/// <param name="Set">The set's name.</param>
/// <param name="N">The N being run.</param>
/// <param name="Done">Questions done in this set at this N.</param>
/// <param name="Total">Questions of this set.</param>
/// <param name="Correct">Correct so far in this set at this N.</param>
public sealed record BenchmarkProgress(string Set, int N, int Done, int Total, int Correct);
