using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Hosting.Evaluation;

/// <summary>One finished task in a <see cref="RecordingLedger"/>.</summary>
/// <param name="Id">Task id.</param>
/// <param name="Status"><c>kept</c>, <c>dropped</c> or <c>failed</c>.</param>
/// <param name="Reason">Why it was dropped (<see cref="DropReasons"/>), if it was.</param>
/// <param name="Error">Why its run failed, if it did.</param>
public sealed record LedgerEntry(string Id, string Status, string? Reason = null, string? Error = null)
{
    /// <summary>The run was written to the trajectory file.</summary>
    public const string Kept = "kept";

    /// <summary>The run finished but a filter dropped it.</summary>
    public const string Dropped = "dropped";

    /// <summary>The run failed (endpoint errors after the retries, a sandbox failure): the task is run again on resume.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// The file beside a trajectory file (<c>traj.jsonl</c> → <c>traj.progress.jsonl</c>) that lists every finished task,
/// one JSON line each, written right after the task's trajectory: how a resumed recording knows which tasks were
/// dropped or failed, which the trajectory file alone cannot tell. The last entry of a task id wins. Thread-safe.
/// </summary>
public sealed class RecordingLedger : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A ledger at <paramref name="path"/> (created on the first append).</summary>
    public RecordingLedger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The ledger's absolute path.</summary>
    public string Path { get; }

    /// <summary>The ledger path of the trajectory file <paramref name="trajectoryPath"/>.</summary>
    public static string PathFor(string trajectoryPath) => System.IO.Path.ChangeExtension(trajectoryPath, ".progress.jsonl");

    /// <summary>
    /// The last entry of every task id, after repairing a torn last line; <paramref name="warnings"/> receives what was
    /// repaired or unreadable. Empty when the file does not exist.
    /// </summary>
    public IReadOnlyDictionary<string, LedgerEntry> Read(ICollection<string> warnings)
    {
        var entries = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        if (JsonlTail.Repair(Path, line => Parse(line) is not null) is { } repaired)
            warnings.Add(repaired);
        if (!File.Exists(Path))
            return entries;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Path))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
                continue;
            LedgerEntry? entry;
            try
            {
                entry = Parse(line);
            }
            catch (JsonException)
            {
                entry = null;
            }
            if (entry is null)
                warnings.Add($"{Path}:{lineNumber}: unreadable ledger line skipped.");
            else
                entries[entry.Id] = entry;
        }
        return entries;
    }

    /// <summary>Appends <paramref name="entry"/> as one flushed write.</summary>
    public async Task AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await stream.WriteAsync(line, CancellationToken.None).ConfigureAwait(false); // one write: never half an entry beside another
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static LedgerEntry? Parse(string line) =>
        JsonSerializer.Deserialize<LedgerEntry>(line, Json) is { Id.Length: > 0, Status: LedgerEntry.Kept or LedgerEntry.Dropped or LedgerEntry.Failed } entry ? entry : null;
}
