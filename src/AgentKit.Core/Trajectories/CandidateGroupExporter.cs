using System.Text.Json;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Scoring;

namespace AgentKit.Core.Trajectories;

/// <summary>Writes one JSON line per action step with all its candidates and their outcomes, for RL (e.g. GRPO groups).</summary>
public static class CandidateGroupExporter
{
    /// <summary>The groups of one run, in step order.</summary>
    public static IEnumerable<CandidateGroup> ToGroups(TrajectoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var reference = record.Task.ReferenceAnswer;
        foreach (var step in record.Steps.OfType<ActionStep>())
        {
            var candidates = step.Candidates.Select(c => new GroupCandidate(
                c.Text, c.Parsed, c.Status, c.Output, c.ParseError ?? c.Error, c.FinalAnswer, c.Votes, c.Chosen,
                c.FinalAnswer is not null && reference is not null ? AnswerScorer.Score(c.FinalAnswer, reference).Correct : null)).ToList();
            yield return new CandidateGroup(record.RunId, record.Task.Id, step.Step, step.Prompt, candidates, reference, record.Score?.Correct);
        }
    }

    /// <summary>Writes the groups of all runs; returns how many lines were written.</summary>
    public static int Export(IEnumerable<TrajectoryRecord> records, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        var written = 0;
        foreach (var group in records.SelectMany(ToGroups))
        {
            output.Write(JsonSerializer.Serialize(group, TrajectoryJson.Options));
            output.Write('\n');
            written++;
        }
        return written;
    }
}
