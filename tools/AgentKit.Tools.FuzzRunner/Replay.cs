using System.Runtime.InteropServices;
using AgentKit.Fuzzing.Shared;
using SharpFuzz.Common;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>Runs one saved input and prints what happened (exit 0: no finding, 1: unexpected exception).</summary>
internal static unsafe class Replay
{
    public static int Run(TargetManifest manifest, string inputPath)
    {
        Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(WorkerProtocol.MapSize);
        var harness = HarnessFactory.Create(manifest);
        var data = File.ReadAllBytes(inputPath);
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        var exitCode = 0;
        var thread = new Thread(() =>
        {
            try
            {
                harness.Run(data);
                stdout.WriteLine("no exception: the input ran to completion");
            }
            catch (Exception ex) when (harness.IsExpected(ex))
            {
                stdout.WriteLine($"expected rejection (not a bug): {ex.GetType().FullName}: {ex.Message}");
            }
            catch (Exception ex)
            {
                stdout.WriteLine(ex.ToString());
                exitCode = 1;
            }
        }, 8 * 1024 * 1024);
        thread.Start();
        thread.Join();
        stdout.Flush();
        return exitCode;
    }
}
