using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Tasks;

/// <summary>A task that could not be read and was left out.</summary>
/// <param name="Line">1-based line of a JSONL file, or 1-based item of a JSON document (the paper's <c>examples</c> or a bare array).</param>
/// <param name="Reason">Why, e.g. <c>"question" is empty</c>.</param>
public sealed record SkippedTask(int Line, string Reason);

/// <summary>The tasks read from a task file and the lines that had to be skipped.</summary>
/// <param name="Tasks">The usable tasks in file order (never empty: a file without one is an error).</param>
/// <param name="Skipped">The skipped lines in file order.</param>
/// <param name="SourceName">The file's name, for messages.</param>
/// <param name="IsJsonl">True for a JSONL file (positions are lines), false for a JSON document (positions are items).</param>
public sealed record TaskReadResult(IReadOnlyList<TrajectoryTask> Tasks, IReadOnlyList<SkippedTask> Skipped, string SourceName, bool IsJsonl)
{
    /// <summary>
    /// One line per skipped line (at most <paramref name="maxLines"/>, then how many more), followed by the count:
    /// what a command prints on stderr. Empty when nothing was skipped.
    /// </summary>
    public IReadOnlyList<string> Warnings(int maxLines = 20)
    {
        if (Skipped.Count == 0)
            return [];
        var unit = IsJsonl ? "line" : "example";
        var lines = Skipped.Take(maxLines).Select(s => $"{SourceName}: {unit} {s.Line} skipped: {s.Reason}").ToList();
        if (Skipped.Count > maxLines)
            lines.Add($"{SourceName}: … and {Skipped.Count - maxLines} more skipped {unit}s.");
        lines.Add($"{SourceName}: {Skipped.Count} {unit}(s) skipped ({Numbers()}); {Tasks.Count} task(s) read.");
        return lines;
    }

    private string Numbers()
    {
        const int shown = 10;
        var numbers = string.Join(", ", Skipped.Take(shown).Select(s => s.Line));
        return Skipped.Count > shown ? numbers + ", …" : numbers;
    }
}
