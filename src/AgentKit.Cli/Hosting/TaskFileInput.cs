using AgentKit.Core.Display;
using AgentKit.Core.Tasks;

namespace AgentKit.Cli.Hosting;

/// <summary>
/// Reads the task file of <c>eval</c> and <c>record</c>: lines that cannot be tasks are skipped (see
/// <see cref="TaskFileReader"/>) and listed on stderr with their line numbers; the verbs also put them in their
/// <c>--json</c> report. A file with no usable task fails the verb (exit 1).
/// </summary>
internal static class TaskFileInput
{
    /// <summary>Reads <paramref name="path"/>, reports skipped lines on <paramref name="stderr"/> and keeps the first <paramref name="limit"/> tasks.</summary>
    /// <exception cref="CliUsageException">The file does not exist or the limit is below 1.</exception>
    /// <exception cref="InvalidDataException">The file holds no usable task.</exception>
    public static TaskReadResult Read(string path, int? limit, TextWriter stderr)
    {
        if (!File.Exists(path))
            throw new CliUsageException($"task file not found: {path}");
        if (limit is < 1)
            throw new CliUsageException($"--limit must be at least 1, got {limit}.");
        var read = TaskFileReader.Read(path);
        foreach (var warning in read.Warnings())
            stderr.WriteLine($"warning: {TerminalText.Escape(warning)}");
        return limit is { } n ? read with { Tasks = [.. read.Tasks.Take(n)] } : read;
    }
}
