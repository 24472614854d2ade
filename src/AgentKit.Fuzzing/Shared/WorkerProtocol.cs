using System.Text;

namespace AgentKit.Fuzzing.Shared;

/// <summary>
/// The wire format between the engine and a worker over the worker's stdin/stdout (little-endian).
/// Engine → worker: <c>int32 length</c> then the input bytes; length -1 asks the worker to exit; length -2 starts a
/// batch: <c>int32 count</c>, then count × (<c>int32 length</c>, bytes), answered by count results in order, sent together.
/// In-process mode: length -3 sets the worker's own fuzz loop up (<c>int32 seed</c>, <c>int32 max input bytes</c>,
/// in-flight file path, <c>int32 n</c> dictionary tokens); length -4 runs one slice of it (<c>int32 milliseconds</c>,
/// <c>int32 n</c> corpus entries to add, each bytes and hit pairs), answered by <see cref="Found"/> events (input
/// bytes, then a result as below) as they happen and one <see cref="SliceEnd"/> (<c>int64 execs</c>, <c>int64</c>
/// nanoseconds spent running the target, map clear included).
/// Worker → engine: one status byte, <c>int32 n</c>, then n pairs of <c>uint16 map index, uint8 hit count</c>;
/// a crash adds three strings (exception type, message, stack trace).
/// The worker writes <see cref="Ready"/> once the target is loaded, before the first input.
/// Compiled into both the engine and the runner (linked source), so the two cannot drift apart.
/// </summary>
internal static class WorkerProtocol
{
    /// <summary>First byte a worker writes once the target is loaded and the map is live.</summary>
    public const byte Ready = 0xA5;

    /// <summary>Size of SharpFuzz's coverage map (a 16-bit edge index).</summary>
    public const int MapSize = 65536;

    /// <summary>Length value that tells the worker to exit.</summary>
    public const int Quit = -1;

    /// <summary>Length value that announces a batch of inputs (one pipe round trip for all of them).</summary>
    public const int Batch = -2;

    /// <summary>Length value that sets up the worker's own fuzz loop (in-process mode).</summary>
    public const int FuzzSetup = -3;

    /// <summary>Length value that runs one slice of the worker's fuzz loop (in-process mode).</summary>
    public const int FuzzSlice = -4;

    /// <summary>Event of a slice: an input that added coverage in the worker, or a new crash; input then result follow.</summary>
    public const byte Found = 0x46;

    /// <summary>Event that ends a slice; <c>int64 execs</c> and <c>int64</c> nanoseconds in the target follow.</summary>
    public const byte SliceEnd = 0x45;

    /// <summary>Most inputs one batch may carry.</summary>
    public const int MaxBatch = 1024;

    /// <summary>Exit code a worker uses when the target or harness cannot be loaded (a setup error, not a finding).</summary>
    public const int SetupFailedExitCode = 3;

    public static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> value)
    {
        writer.Write(value.Length);
        writer.Write(value);
    }

    public static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length is < 0 or > 64 * 1024 * 1024)
            throw new InvalidDataException($"invalid input length {length}");
        return reader.ReadBytes(length);
    }

    public static void WriteHits(BinaryWriter writer, ReadOnlySpan<(ushort Index, byte Count)> hits)
    {
        writer.Write(hits.Length);
        foreach (var (index, count) in hits)
        {
            writer.Write(index);
            writer.Write(count);
        }
    }

    public static (ushort Index, byte Count)[] ReadHits(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > MapSize)
            throw new InvalidDataException($"worker sent {count} map cells");
        var hits = new (ushort, byte)[count];
        for (var i = 0; i < count; i++)
            hits[i] = (reader.ReadUInt16(), reader.ReadByte());
        return hits;
    }

    public static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static string ReadString(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length is < 0 or > 16 * 1024 * 1024)
            throw new InvalidDataException($"worker sent a string of invalid length {length}");
        return Encoding.UTF8.GetString(reader.ReadBytes(length));
    }
}

/// <summary>Outcome of one input inside a worker.</summary>
internal enum RunStatus : byte
{
    /// <summary>The harness returned (or threw one of the target's documented parse exceptions).</summary>
    Ok = 0,

    /// <summary>The harness threw an unexpected exception.</summary>
    Crash = 1,
}
