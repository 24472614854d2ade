using AgentKit.Core.Tasks;

namespace AgentKit.Hosting.Evaluation;

/// <summary>Why a finished run was not kept.</summary>
public static class DropReasons
{
    /// <summary>The answer was not scored correct (<see cref="RecordOptions.FilterCorrect"/>).</summary>
    public const string Incorrect = "incorrect";

    /// <summary>The action taken at some step did not parse (<see cref="RecordOptions.FilterParseErrors"/>).</summary>
    public const string ParseError = "parse-error";
}

/// <summary>Progress of a recording, counted over the tasks this session runs (tasks resumed as done are not among them).</summary>
/// <param name="Done">Tasks finished so far (kept, dropped or failed).</param>
/// <param name="Pending">Tasks this session runs.</param>
/// <param name="Kept">Runs written.</param>
/// <param name="Dropped">Runs a filter dropped.</param>
/// <param name="Failed">Tasks whose run failed (run again on the next resume).</param>
public sealed record RecordProgress(int Done, int Pending, int Kept, int Dropped, int Failed);

/// <summary>What a recording did (<c>agentkit record --json</c> prints it).</summary>
/// <param name="Tasks">Usable tasks in the task file (after <c>--limit</c>).</param>
/// <param name="Recorded">Runs written by this session.</param>
/// <param name="Dropped">Runs a filter dropped in this session.</param>
/// <param name="DroppedByReason">Those drops by <see cref="DropReasons"/> reason.</param>
/// <param name="Failed">Tasks whose run failed in this session: not written, run again on the next resume.</param>
/// <param name="ResumedSkipped">Tasks not run because an earlier recording into the same file had finished them.</param>
/// <param name="Success">Share of correct runs among the runs of this session that finished.</param>
/// <param name="MeanSteps">Mean action steps of those runs.</param>
/// <param name="Out">The trajectory file.</param>
/// <param name="Ledger">The file beside it listing every finished task (<see cref="RecordingLedger"/>).</param>
/// <param name="Skipped">Task-file lines skipped as unusable.</param>
/// <param name="SkippedLines">Those lines and why.</param>
/// <param name="Warnings">What resuming found and repaired (a torn last line, duplicate task ids).</param>
/// <param name="Results">Per task run in this session, in task-file order.</param>
public sealed record RecordReport(int Tasks, int Recorded, int Dropped, IReadOnlyDictionary<string, int> DroppedByReason, int Failed, int ResumedSkipped,
    double Success, double MeanSteps, string Out, string Ledger, int Skipped, IReadOnlyList<SkippedTask> SkippedLines,
    IReadOnlyList<string> Warnings, IReadOnlyList<TaskResult> Results);
