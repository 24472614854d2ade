using System.Text;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>
/// Appends each run as one JSON line to a file, crash-safely: the line and its newline go out in a single
/// write and are flushed to disk before <see cref="WriteAsync"/> returns, so a killed process leaves at most
/// one partial last line. If the file already ends in such a partial line, a newline is written first so the
/// next record is not glued to it (the reader then reports the partial line and keeps the rest).
/// Thread-safe: concurrent runs may share one writer.
/// </summary>
public sealed class JsonlTrajectoryWriter : ITrajectorySink, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a writer appending to <paramref name="path"/> (created with its folder when missing).</summary>
    public JsonlTrajectoryWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }

    /// <summary>The absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>Number of records written by this writer.</summary>
    public int Written { get; private set; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = Encoding.UTF8.GetBytes(TrajectoryJson.Serialize(record) + "\n");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                var last = stream.ReadByte();
                if (last != '\n')
                    line = [(byte)'\n', .. line];
            }
            stream.Seek(0, SeekOrigin.End);
            stream.Write(line); // one write: a crash cannot interleave half of this record with another
            stream.Flush(flushToDisk: true);
            Written++;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
