using System.Text.Json;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>
/// Reads a trajectory JSONL file, skipping what cannot be read instead of failing: a truncated last line
/// (a writer killed mid-record) is reported as such; a corrupt line elsewhere, or a record of a newer
/// schema version, is reported with its line number. Blank lines are ignored. A record whose run id appeared on an
/// earlier line replaces that one in place: an agent recording each step
/// (<see cref="Running.AgentRunOptions.RecordEachStep"/>) writes its run again after every step, and the last line is
/// the most complete.
/// </summary>
public static class JsonlTrajectoryReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TrajectoryReadResult Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Trajectory file not found: {path}", path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads JSONL text from <paramref name="reader"/>; <paramref name="sourceName"/> prefixes warnings.</summary>
    public static TrajectoryReadResult Read(TextReader reader, string sourceName = "trajectories")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = reader.ReadToEnd();
        var endsWithNewline = text.EndsWith('\n');
        var lines = text.Split('\n');
        var lastIndex = endsWithNewline ? lines.Length - 2 : lines.Length - 1; // Split leaves "" after a final newline
        var records = new List<TrajectoryRecord>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal); // run id -> index in records
        var warnings = new List<string>();
        for (var i = 0; i <= lastIndex; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
                continue;
            var lineNumber = i + 1;
            try
            {
                var record = TrajectoryJson.Deserialize(line);
                if (record.SchemaVersion > TrajectorySchema.Version)
                    warnings.Add($"{sourceName}:{lineNumber}: schema version {record.SchemaVersion} is newer than this reader ({TrajectorySchema.Version}); line skipped.");
                else if (positions.TryGetValue(record.RunId, out var earlier))
                    records[earlier] = record;
                else
                {
                    positions[record.RunId] = records.Count;
                    records.Add(record);
                }
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                warnings.Add(i == lastIndex && !endsWithNewline
                    ? $"{sourceName}:{lineNumber}: last line is truncated (the writer was probably killed mid-record); skipped."
                    : $"{sourceName}:{lineNumber}: corrupt line skipped ({Shorten(ex.Message)}).");
            }
        }
        return new TrajectoryReadResult(records, warnings);
    }

    private static string Shorten(string message) => message.Length <= 160 ? message : message[..160] + "…";
}
