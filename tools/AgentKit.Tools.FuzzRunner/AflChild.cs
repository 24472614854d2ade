using System.Runtime.InteropServices;
using AgentKit.Fuzzing.Shared;
using SharpFuzz.Common;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>
/// The child of the afl fork server: attaches afl's shared-memory map as SharpFuzz's trace map, warms the harness up
/// (static constructors run once, off the map, so afl does not see "variable" coverage), then runs inputs from stdin.
/// </summary>
internal static unsafe partial class AflChild
{
    private const int StackBytes = 8 * 1024 * 1024; // as the builtin worker, so both engines overflow at the same depth

    public static int Run(TargetManifest manifest)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("__AFL_SHM_ID"), out var id))
            throw new InvalidOperationException("afl-child runs under the afl fork server only (no __AFL_SHM_ID)");
        var map = shmat(id, 0, 0);
        if (map == -1)
            throw new InvalidOperationException($"could not attach afl's shared memory {id} (errno {Marshal.GetLastPInvokeError()})");

        var scratch = (byte*)NativeMemory.AllocZeroed(WorkerProtocol.MapSize);
        Trace.SharedMem = scratch; // before any instrumented code runs
        var harness = HarnessFactory.Create(manifest);
        var output = Console.OpenStandardOutput();
        Console.SetOut(TextWriter.Null);
        var exitCode = 0;
        var thread = new Thread(() => exitCode = Loop(harness, (byte*)map, Console.OpenStandardInput(), output), StackBytes) { Name = "fuzz-target" };
        thread.Start();
        thread.Join();
        return exitCode;
    }

    private static int Loop(Harness harness, byte* map, Stream input, Stream output)
    {
        RunOne(harness, []); // warm-up on the scratch map
        Trace.SharedMem = map;
        using var reader = new BinaryReader(new BufferedStream(input, 1 << 16));
        output.WriteByte(WorkerProtocol.Ready);
        output.Flush();
        while (true)
        {
            int length;
            try
            {
                length = reader.ReadInt32();
            }
            catch (EndOfStreamException)
            {
                return 0;
            }
            var data = reader.ReadBytes(length);
            Trace.PrevLocation = 0; // afl clears the map itself before each run
            output.WriteByte((byte)(RunOne(harness, data) ? RunStatus.Ok : RunStatus.Crash));
            output.Flush();
        }
    }

    private static bool RunOne(Harness harness, byte[] data)
    {
        try
        {
            harness.Run(data);
            return true;
        }
        catch (Exception ex)
        {
            return harness.IsExpected(ex);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint shmat(int shmid, nint shmaddr, int shmflg);
}
