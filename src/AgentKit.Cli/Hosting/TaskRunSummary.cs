using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Cli.Hosting;

/// <summary>One evaluated task as <c>eval</c> and <c>record</c> report it.</summary>
internal sealed record TaskResult(string Id, string Question, string? Answer, string? Gold, bool Correct, int Steps, double Seconds, int Candidates, int ParseErrors, string? Error)
{
    public static TaskResult From(TrajectoryRecord record)
    {
        var actions = record.Steps.OfType<ActionStep>().ToList();
        return new TaskResult(record.Task.Id, record.Task.Question, record.FinalAnswer, record.Task.ReferenceAnswer,
            record.Score?.Correct == true, actions.Count, Math.Round(record.DurationMs / 1000, 3),
            actions.Sum(a => a.Candidates.Count), actions.Sum(a => a.Candidates.Count(c => !c.Parsed)), record.Error);
    }
}

/// <summary>Aggregates over evaluated tasks.</summary>
internal sealed record TaskRunSummary(int Tasks, double Success, double MeanSteps, double ParseErrorRate, double SecondsPerTask)
{
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
