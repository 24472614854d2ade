using System.Runtime.InteropServices;
using AgentKit.Fuzzing.Shared;
using SharpFuzz.Common;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>
/// The builtin-engine worker: reads inputs from stdin, runs each against a cleared coverage map, writes the hits; in
/// in-process mode it runs the fuzz loop itself (<see cref="FuzzLoop"/>) and answers only what the engine must see.
/// </summary>
internal static unsafe class ServeLoop
{
    // Deep parsers recurse; give them a known stack so stack-overflow findings are reproducible across machines.
    private const int StackBytes = 8 * 1024 * 1024;

    public static int Run(TargetManifest manifest)
    {
        // Must happen before any instrumented code runs: instrumented IL dereferences SharedMem unconditionally.
        Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(WorkerProtocol.MapSize);
        var harness = HarnessFactory.Create(manifest);

        // The protocol owns stdout; whatever the target prints must not corrupt it.
        var output = Console.OpenStandardOutput();
        Console.SetOut(TextWriter.Null);
        var exitCode = 0;
        var thread = new Thread(() => exitCode = Loop(harness, Console.OpenStandardInput(), output), StackBytes) { Name = "fuzz-target" };
        thread.Start();
        thread.Join();
        return exitCode;
    }

    private static int Loop(Harness harness, Stream input, Stream output)
    {
        using var reader = new BinaryReader(new BufferedStream(input, 1 << 16));
        using var writer = new BinaryWriter(new BufferedStream(output, 1 << 16));
        WarmUp(harness);
        writer.Write(WorkerProtocol.Ready);
        writer.Flush();
        var map = Trace.SharedMem;
        var hits = new (ushort Index, byte Count)[WorkerProtocol.MapSize];
        FuzzLoop? fuzz = null;
        while (true)
        {
            int length;
            try
            {
                length = reader.ReadInt32();
            }
            catch (EndOfStreamException)
            {
                return 0; // engine went away
            }

            if (length == WorkerProtocol.Quit)
                return 0;
            if (length == WorkerProtocol.Batch)
            {
                // Read the whole batch before running it: the engine finishes writing before it reads, so neither side
                // can block on a full pipe while the other waits. The inputs then run back to back, no round trip between.
                var count = reader.ReadInt32();
                if (count is < 1 or > WorkerProtocol.MaxBatch)
                    throw new InvalidDataException($"batch of {count} inputs");
                var batch = new byte[count][];
                for (var i = 0; i < count; i++)
                    batch[i] = reader.ReadBytes(reader.ReadInt32());
                foreach (var data in batch)
                {
                    RunOne(harness, map, hits, data, writer);
                    writer.Flush(); // each answer as soon as it is known: the engine times and attributes every input
                }
            }
            else if (length == WorkerProtocol.FuzzSetup)
            {
                fuzz?.Dispose();
                fuzz = FuzzLoop.Setup(harness, map, reader);
            }
            else if (length == WorkerProtocol.FuzzSlice)
            {
                (fuzz ?? throw new InvalidDataException("fuzz slice before fuzz setup")).RunSlice(reader, writer);
            }
            else
            {
                RunOne(harness, map, hits, reader.ReadBytes(length), writer);
            }
            writer.Flush();
        }
    }

    /// <summary>
    /// Runs the harness once on an empty input before the worker says it is ready, as the afl child does: the target's
    /// static constructors and the JIT of its entry paths then count against the start-up timeout, not against the
    /// first input's. Without it a large target (Jint: seconds of JIT on a busy machine) "hangs" on its first input,
    /// the engine replaces the worker, and the replacement hangs on its first input too.
    /// </summary>
    private static void WarmUp(Harness harness)
    {
        try
        {
            harness.Run([]);
        }
        catch (Exception)
        {
            // any outcome will do: the point is the code it loaded and compiled
        }
    }

    private static void RunOne(Harness harness, byte* map, (ushort Index, byte Count)[] hits, byte[] data, BinaryWriter writer)
    {
        var crash = Execute(harness, map, data);
        var count = Scan(map, hits);
        WriteResult(writer, hits.AsSpan(0, count), crash);
    }

    /// <summary>Runs one input on a cleared map; returns the unexpected exception it threw, if any.</summary>
    internal static Exception? Execute(Harness harness, byte* map, byte[] data)
    {
        NativeMemory.Clear(map, WorkerProtocol.MapSize);
        Trace.PrevLocation = 0;
        try
        {
            harness.Run(data);
            return null;
        }
        catch (Exception ex) when (!harness.IsExpected(ex))
        {
            return ex;
        }
        catch (Exception)
        {
            return null; // documented rejection of bad input: a normal outcome
        }
    }

    /// <summary>One result in the wire format: status, hits, and for a crash the exception's type, message and stack.</summary>
    internal static void WriteResult(BinaryWriter writer, ReadOnlySpan<(ushort Index, byte Count)> hits, Exception? crash)
    {
        writer.Write((byte)(crash is null ? RunStatus.Ok : RunStatus.Crash));
        WorkerProtocol.WriteHits(writer, hits);
        if (crash is not null)
        {
            WorkerProtocol.WriteString(writer, crash.GetType().FullName ?? crash.GetType().Name);
            WorkerProtocol.WriteString(writer, crash.Message);
            WorkerProtocol.WriteString(writer, crash.StackTrace ?? "");
        }
    }

    /// <summary>Collects the non-zero map cells, skipping zero words eight bytes at a time.</summary>
    internal static int Scan(byte* map, (ushort Index, byte Count)[] hits)
    {
        var count = 0;
        var words = (ulong*)map;
        for (var w = 0; w < WorkerProtocol.MapSize / 8; w++)
        {
            if (words[w] == 0)
                continue;
            for (var b = 0; b < 8; b++)
            {
                var index = w * 8 + b;
                if (map[index] != 0)
                    hits[count++] = ((ushort)index, map[index]);
            }
        }
        return count;
    }
}
