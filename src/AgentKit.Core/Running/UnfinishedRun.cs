using System.Globalization;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Running;

/// <summary>
/// The records an agent writes after each step with <see cref="AgentRunOptions.RecordEachStep"/>: the run so far,
/// marked as unfinished. Read back on its own (no later record of the run id), such a record is a run whose process
/// ended — killed, crashed, powered off — after <see cref="TrajectoryRecord.Steps"/>.
/// </summary>
public static class UnfinishedRun
{
    /// <summary>How the error of an unfinished record starts.</summary>
    public const string ErrorPrefix = "unfinished: ";

    /// <summary>The error recorded once <paramref name="actionSteps"/> action steps (and any plan) have finished.</summary>
    public static string Error(int actionSteps) =>
        $"{ErrorPrefix}{actionSteps.ToString(CultureInfo.InvariantCulture)} action step(s) recorded; no later record of this run was written (the process ended, or the run is still going).";

    /// <summary>True for a record written mid-run rather than at its end.</summary>
    public static bool IsUnfinished(TrajectoryRecord record) =>
        record.Outcome == RunOutcome.Cancelled && record.Error?.StartsWith(ErrorPrefix, StringComparison.Ordinal) == true;
}
