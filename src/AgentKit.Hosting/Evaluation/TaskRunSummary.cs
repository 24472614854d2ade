using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Hosting.Evaluation;

/// <summary>One evaluated task as <c>eval</c> and <c>record</c> report it.</summary>
/// <param name="Id">Task id.</param>
/// <param name="Question">Task text.</param>
/// <param name="Answer">The agent's final answer (null when it gave none).</param>
/// <param name="Gold">The task's reference answer.</param>
/// <param name="Correct">Whether the recorded score says correct.</param>
/// <param name="Steps">Action steps taken.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Candidates">Candidate actions sampled over all steps.</param>
/// <param name="ParseErrors">Sampled candidates that did not parse.</param>
/// <param name="Error">Why the run failed, if it did.</param>
public sealed record TaskResult(string Id, string Question, string? Answer, string? Gold, bool Correct, int Steps, double Seconds, int Candidates, int ParseErrors, string? Error)
{
    /// <summary>The result a recorded run stands for.</summary>
    public static TaskResult From(TrajectoryRecord record)
    {
        var actions = record.Steps.OfType<ActionStep>().ToList();
        return new TaskResult(record.Task.Id, record.Task.Question, record.FinalAnswer, record.Task.ReferenceAnswer,
            record.Score?.Correct == true, actions.Count, Math.Round(record.DurationMs / 1000, 3),
            actions.Sum(a => a.Candidates.Count), actions.Sum(a => a.Candidates.Count(c => !c.Parsed)), record.Error);
    }
}

/// <summary>Aggregates over evaluated tasks.</summary>
/// <param name="Tasks">Tasks evaluated.</param>
/// <param name="Success">Share of correct tasks (4 decimals).</param>
/// <param name="MeanSteps">Mean action steps per task.</param>
/// <param name="ParseErrorRate">Share of sampled candidates that did not parse.</param>
/// <param name="SecondsPerTask">Mean wall time per task.</param>
public sealed record TaskRunSummary(int Tasks, double Success, double MeanSteps, double ParseErrorRate, double SecondsPerTask)
{
    /// <summary>The aggregates of <paramref name="results"/> (zeros when empty).</summary>
    public static TaskRunSummary From(IReadOnlyList<TaskResult> results)
    {
        if (results.Count == 0)
            return new TaskRunSummary(0, 0, 0, 0, 0);
        var candidates = results.Sum(r => r.Candidates);
        return new TaskRunSummary(
            results.Count,
            Math.Round(results.Count(r => r.Correct) / (double)results.Count, 4),
            Math.Round(results.Average(r => r.Steps), 3),
            candidates == 0 ? 0 : Math.Round(results.Sum(r => r.ParseErrors) / (double)candidates, 4),
            Math.Round(results.Average(r => r.Seconds), 3));
    }
}
