using System.Diagnostics;
using System.IO.Pipes;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>
/// The afl side: an afl fork server in the manner of SharpFuzz's <c>Fuzzer.OutOfProcess.Run</c> — this process speaks
/// afl's fork-server protocol and a child process (<see cref="AflChild"/>) runs the inputs on afl's shared-memory map.
/// <para>
/// SharpFuzz's in-process <c>Fuzzer.Run</c> cannot be used: .NET cannot fork, so the process afl kills on a timeout
/// (or a stack overflow kills) is the fork server itself, and afl aborts with "Unable to communicate with fork server"
/// at the first hang. <c>Fuzzer.OutOfProcess.Run</c> survives that, but starts the replacement child inside afl's
/// next execution, so the runtime's start-up is charged to an innocent input: with a tight <c>-t</c> that input, or the
/// very first seed of the dry run, "times out". Here the replacement is started, loaded and warmed up before afl's next
/// request is read.
/// </para>
/// </summary>
internal static class AflHarness
{
    // Wait status afl reads for a finding: "killed by SIGABRT", as SharpFuzz reports an unexpected exception.
    private const int CrashStatus = 6;
    private const int KilledStatus = 9;

    /// <summary>Serves afl until it closes the control pipe; <paramref name="manifest"/> is loaded (validated) before afl's handshake, the child loads the target.</summary>
    public static int Run(TargetManifest manifest, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!int.TryParse(Environment.GetEnvironmentVariable("__AFL_SHM_ID"), out _))
        {
            Console.Error.WriteLine("afl mode runs under afl-fuzz only (no __AFL_SHM_ID); use 'replay' to run one input");
            return 2;
        }
        using var control = new BinaryReader(new AnonymousPipeClientStream(PipeDirection.In, "198"));
        using var status = new BinaryWriter(new AnonymousPipeClientStream(PipeDirection.Out, "199"));
        using var input = Console.OpenStandardInput(); // afl's .cur_input: afl rewinds it before every run
        var child = AflChildProcess.Start(manifestPath);
        status.Write(0); // handshake: old-style fork server, no options
        status.Flush();
        var buffer = new MemoryStream();
        while (true)
        {
            try
            {
                control.ReadInt32();
            }
            catch (EndOfStreamException)
            {
                child.Dispose();
                return 0; // afl is done
            }
            buffer.SetLength(0);
            input.CopyTo(buffer);
            status.Write(child.Id);
            status.Flush();
            var outcome = child.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            status.Write(outcome switch { RunStatus.Ok => 0, RunStatus.Crash => CrashStatus, _ => KilledStatus });
            status.Flush();
            if (outcome is null)
            {
                // Killed by afl (timeout) or died (stack overflow, abort): replace it before afl asks for the next run.
                child.Dispose();
                child = AflChildProcess.Start(manifestPath);
            }
        }
    }
}

/// <summary>One child: a runner in <c>afl-child</c> mode, fed inputs over its stdin, answering one status byte each.</summary>
internal sealed class AflChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly BinaryWriter _writer;
    private readonly Stream _reader;

    private AflChildProcess(Process process)
    {
        _process = process;
        _writer = new BinaryWriter(process.StandardInput.BaseStream);
        _reader = process.StandardOutput.BaseStream;
    }

    public int Id => _process.Id;

    public static AflChildProcess Start(string manifestPath)
    {
        // Same runtime host and runner as this process; stderr is inherited so afl's debug mode shows the target's output.
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
            start.ArgumentList.Add(typeof(AflHarness).Assembly.Location);
        start.ArgumentList.Add("afl-child");
        start.ArgumentList.Add(manifestPath);
        var child = new AflChildProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the afl child runner"));
        var ready = child._reader.ReadByte();
        if (ready != WorkerProtocol.Ready)
        {
            child._process.WaitForExit(2000);
            throw new InvalidOperationException($"afl child runner did not start (exit code {(child._process.HasExited ? child._process.ExitCode : -1)})");
        }
        return child;
    }

    /// <summary>Runs one input; null when the child died or was killed before answering.</summary>
    public RunStatus? Run(ReadOnlySpan<byte> input)
    {
        try
        {
            _writer.Write(input.Length);
            _writer.Write(input);
            _writer.Flush();
            var status = _reader.ReadByte();
            return status < 0 ? null : (RunStatus)status;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
        _process.Dispose();
    }
}
