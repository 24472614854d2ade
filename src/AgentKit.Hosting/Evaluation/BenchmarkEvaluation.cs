using System.Diagnostics;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Distillation;
using AgentKit.Core.Running;
using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Hosting.Evaluation;

/// <summary>
/// Runs the agent-distillation paper's benchmark sets (<c>agentkit eval --benchmark</c>): every set at every N, in agent
/// mode (the hosted agent with its tools, through <see cref="TaskEvaluator"/>, N candidate actions per step) or
/// chain-of-thought mode (<see cref="ChainOfThoughtAnswering"/>, N samples voted). Each prediction is scored by its set's
/// <see cref="BenchmarkScorer"/> and, when a judge is given, by the <see cref="LlmJudge"/> too (on the extracted answer
/// for math sets). A failed run or judge call is a wrong answer carrying its error; the evaluation goes on.
/// </summary>
public static class BenchmarkEvaluation
{
    /// <summary>Opens the agent of <paramref name="settings"/> once and runs every set of <paramref name="sets"/> at every N of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range, or no set was given.</exception>
    public static async Task<BenchmarkReport> RunAsync(AgentHostSettings settings, IReadOnlyList<BenchmarkSet> sets, BenchmarkEvalOptions options,
        LlmJudge? judge = null, IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sets);
        options.Validate();
        if (sets.Count == 0)
            throw new ArgumentException("give at least one benchmark set.", nameof(sets));
        await using var host = await AgentHost.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var results = new List<BenchmarkSetResult>();
        foreach (var set in sets)
        {
            var tasks = options.Limit is { } limit ? set.Tasks.Take(limit).ToList() : set.Tasks;
            foreach (var n in options.CandidateCounts)
                results.Add(await RunSetAsync(host, set, tasks, n, options, judge, progress, cancellationToken).ConfigureAwait(false));
        }
        var averages = options.CandidateCounts.Select(n => Average(n, results.Where(r => r.N == n).ToList())).ToList();
        var judgeInfo = judge is null ? null : new BenchmarkJudgeInfo(judge.Model.Name, judge.Model.Source, LlmJudge.Instructions);
        return new BenchmarkReport(options.Mode, host.Generator.Model.Name, options.CandidateCounts, judgeInfo, results, averages);
    }

    private static async Task<BenchmarkSetResult> RunSetAsync(AgentHost host, BenchmarkSet set, IReadOnlyList<TrajectoryTask> tasks, int n,
        BenchmarkEvalOptions options, LlmJudge? judge, IProgress<BenchmarkProgress>? progress, CancellationToken ct)
    {
        var scorer = set.Scorer();
        var definition = host.Agent.Definition;
        var agent = options.Mode == BenchmarkMode.Agent
            ? new Agent(definition with { Sampling = definition.Sampling with { Candidates = n } }, host.Generator, host.Sandbox, host.Tools, new AgentRunOptions())
            : null;
        var results = new List<BenchmarkQuestionResult>();
        foreach (var task in tasks)
        {
            var answered = agent is not null
                ? await AnswerWithAgentAsync(agent, host, task, options.FirstThought, ct).ConfigureAwait(false)
                : await AnswerWithChainOfThoughtAsync(host, set.Kind, task, n, options.CotMaxTokens, ct).ConfigureAwait(false);
            var gold = task.ReferenceAnswer!;
            var score = scorer.Score(answered.Prediction, gold);
            var verdict = judge is null ? null : await JudgeAsync(judge, task.Question, gold, score.Extracted ?? answered.Prediction, ct).ConfigureAwait(false);
            results.Add(new BenchmarkQuestionResult(task.Id, task.Question, gold, answered.Prediction, score.Extracted, score.Correct,
                score.ExactMatch, score.F1 is { } f1 ? Math.Round(f1, 4) : null, verdict, answered.Steps, answered.Seconds, answered.Replies, answered.Error)
            {
                FirstThought = answered.FirstThought,
            });
            progress?.Report(new BenchmarkProgress(set.Name, n, results.Count, tasks.Count, results.Count(r => r.Correct)));
        }
        return Summarize(set, n, judge is not null, results);
    }

    private sealed record Answered(string? Prediction, int Steps, double Seconds, IReadOnlyList<string>? Replies, string? Error, string? FirstThought = null);

    private static async Task<Answered> AnswerWithAgentAsync(Agent agent, AgentHost host, TrajectoryTask task, bool firstThought, CancellationToken ct)
    {
        AgentRunSettings? settings = null;
        if (firstThought)
        {
            // The student's own chain of thought; a model that writes none runs without a prefix.
            var sampling = host.Agent.Definition.Sampling;
            var prefix = await FirstThought.GetAsync(host.Generator, task.Question, sampling.Temperature, sampling.Seed, sampling.MaxTokensPerStep, ct).ConfigureAwait(false);
            settings = prefix is null ? null : new AgentRunSettings { FirstThoughtPrefix = prefix };
        }
        var result = await TaskEvaluator.RunOneAsync(agent, task, settings, ct).ConfigureAwait(false);
        return new Answered(result.Answer, result.Steps, result.Seconds, null, result.Error, settings?.FirstThoughtPrefix);
    }

    private static async Task<Answered> AnswerWithChainOfThoughtAsync(AgentHost host, BenchmarkKind kind, TrajectoryTask task, int n, int maxTokens, CancellationToken ct)
    {
        var sampling = host.Agent.Definition.Sampling;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var answer = await ChainOfThoughtAnswering.AnswerAsync(host.Generator, task.Question, kind, n, sampling.Temperature, sampling.Seed, maxTokens, ct)
                .ConfigureAwait(false);
            return new Answered(answer.Answer, 0, Seconds(started), answer.Replies, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return new Answered(null, 0, Seconds(started), null, ex.Message);
        }
    }

    private static async Task<JudgeVerdict> JudgeAsync(LlmJudge judge, string question, string gold, string? prediction, CancellationToken ct)
    {
        try
        {
            return await judge.JudgeAsync(question, gold, prediction, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return new JudgeVerdict(null, "unparseable", prediction is null ? "" : LlmJudge.BuildPrompt(question, gold, prediction), $"(judge failed: {ex.Message})");
        }
    }

    private static double Seconds(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3);

    private static BenchmarkSetResult Summarize(BenchmarkSet set, int n, bool judged, IReadOnlyList<BenchmarkQuestionResult> results)
    {
        var count = results.Count;
        double Share(Func<BenchmarkQuestionResult, bool> predicate) => count == 0 ? 0 : Math.Round(results.Count(predicate) / (double)count, 4);
        double? f1 = set.Kind == BenchmarkKind.Qa && count > 0 ? Math.Round(results.Average(r => r.F1 ?? 0), 4) : null;
        double? judgeAccuracy = judged ? Share(r => r.Judge?.Correct == true) : null;
        return new BenchmarkSetResult(set.Name, set.Kind, set.SourceName, n, count, set.Skipped.Count, Share(r => r.Correct), f1, judgeAccuracy,
            results.Count(r => r.Judge is { Correct: null }), results.Count(r => r.Error is not null),
            count == 0 ? 0 : Math.Round(results.Average(r => r.Seconds), 3), results);
    }

    private static BenchmarkAverage Average(int n, IReadOnlyList<BenchmarkSetResult> sets)
    {
        var judged = sets.Where(s => s.JudgeAccuracy is not null).ToList();
        return new BenchmarkAverage(n, sets.Count, sets.Count == 0 ? 0 : Math.Round(sets.Average(s => s.Accuracy), 4),
            judged.Count == 0 ? null : Math.Round(judged.Average(s => s.JudgeAccuracy!.Value), 4));
    }
}
