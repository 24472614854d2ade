using System.Text;

namespace AgentKit.Fuzzing.Shared;

/// <summary>
/// The wire format between the engine and a worker over the worker's stdin/stdout (little-endian).
/// Engine → worker: <c>int32 length</c> then the input bytes; length -1 asks the worker to exit; length -2 starts a
/// batch: <c>int32 count</c>, then count × (<c>int32 length</c>, bytes), answered by count results in order, sent together.
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

    /// <summary>Most inputs one batch may carry.</summary>
    public const int MaxBatch = 1024;

    /// <summary>Exit code a worker uses when the target or harness cannot be loaded (a setup error, not a finding).</summary>
    public const int SetupFailedExitCode = 3;

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
