using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Distillation;

/// <summary>What the teacher stages need to know about a trajectory file.</summary>
internal static class TrajectoryFile
{
    /// <summary>Task ids with a finished run (a cancelled run does not count: its question is run again).</summary>
    public static HashSet<string> RecordedTaskIds(string path) => File.Exists(path)
        ? [.. JsonlTrajectoryReader.Read(path).Records.Where(r => r.Outcome != RunOutcome.Cancelled).Select(r => r.Task.Id)]
        : [];

    /// <summary>Runs and correct runs of the file (correct as <c>--only-correct</c> sees it: the recorded score).</summary>
    public static (int Runs, int Correct) Count(string path)
    {
        var records = JsonlTrajectoryReader.Read(path).Records;
        return (records.Count, records.Count(r => r.Score?.Correct == true));
    }
}
