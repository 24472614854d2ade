using System.Diagnostics;
using System.Text;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing.Execution;

/// <summary>
/// One runner process serving inputs over stdin/stdout. A watchdog thread kills it when an input runs past its
/// deadline; a dead process is reported as <see cref="ExecKind.Died"/> (with its exit code and stderr, where .NET
/// prints the stack of a stack overflow) and the caller starts a new one.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int StderrKeep = 16 * 1024;
    private readonly Process _process;
    private readonly BinaryWriter _writer;
    private readonly BinaryReader _reader;
    private readonly StringBuilder _stderr = new();
    private readonly Thread _watchdog;
    private readonly TimeProvider _time;
    private long _deadline; // TimeProvider timestamp; 0 when idle
    private volatile bool _timedOut;
    private volatile bool _disposed;

    public WorkerProcess(WorkerLaunch launch, TimeProvider time)
    {
        _time = time;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(launch.RunnerPath);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(launch.ManifestPath);
        // A hard GC heap limit turns memory blow-ups into OutOfMemoryException inside the worker, not a machine-wide OOM kill.
        start.Environment["DOTNET_GCHeapHardLimit"] = ((long)launch.MemoryLimitMb * 1024 * 1024).ToString("X");
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the fuzz runner (is the dotnet host on PATH?)");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
                if (_stderr.Length > StderrKeep)
                    _stderr.Remove(0, _stderr.Length - StderrKeep);
            }
        };
        _process.BeginErrorReadLine();
        _writer = new BinaryWriter(_process.StandardInput.BaseStream);
        _reader = new BinaryReader(new BufferedStream(_process.StandardOutput.BaseStream, 1 << 16));
        _watchdog = new Thread(Watch) { IsBackground = true, Name = "fuzz-watchdog" };
        _watchdog.Start();

        _deadline = _time.GetTimestamp() + (long)(launch.StartupTimeout.TotalSeconds * _time.TimestampFrequency);
        int ready;
        try
        {
            ready = _reader.ReadByte();
        }
        catch (EndOfStreamException)
        {
            ready = -1;
        }
        _deadline = 0;
        if (ready != WorkerProtocol.Ready)
        {
            _process.WaitForExit(2000);
            var reason = _timedOut ? $"did not start within {launch.StartupTimeout.TotalSeconds:F0} s" : $"exited with code {SafeExitCode()}";
            var message = $"fuzz runner {reason}: {StderrTail().Trim()}";
            Dispose();
            throw new InvalidOperationException(message);
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>Runs one input; <paramref name="timeout"/> bounds its wall time.</summary>
    public ExecResult Execute(ReadOnlySpan<byte> input, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
            _writer.Write(input.Length);
            _writer.Write(input);
            _writer.Flush();
            return ReadResult();
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return Dead(); // the input in flight is the culprit
        }
        finally
        {
            _deadline = 0;
        }
    }

    /// <summary>The process is gone (or was killed by the watchdog): what happened to the input in flight.</summary>
    private ExecResult Dead()
    {
        _process.WaitForExit(5000);
        _process.WaitForExit(); // drains the stderr reader
        var stderr = StderrTail();
        // A deep recursion can outlive the timeout while the runtime is still printing its stack-overflow
        // report: what the process said decides, not the watchdog.
        var overflowed = stderr.Contains("Stack overflow", StringComparison.Ordinal);
        return _timedOut && !overflowed
            ? new ExecResult(ExecKind.Hang, ExecResult.NoHits, Stderr: stderr)
            : new ExecResult(ExecKind.Died, ExecResult.NoHits, ExitCode: SafeExitCode(), Stderr: stderr);
    }

    /// <summary>
    /// Runs several inputs with one write: the worker answers each as it finishes, so the inputs run back to back while
    /// this side reads. Every input gets its own <paramref name="timeout"/>. Results come in input order and stop at an
    /// input that killed or hung the worker (its <see cref="ExecKind.Died"/> or <see cref="ExecKind.Hang"/> result is
    /// the last one): the inputs after it did not run, and the worker must be replaced.
    /// </summary>
    public List<ExecResult> ExecuteBatch(IReadOnlyList<byte[]> inputs, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Count is < 1 or > WorkerProtocol.MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"a batch holds 1 to {WorkerProtocol.MaxBatch} inputs");
        var results = new List<ExecResult>(inputs.Count);
        var ticks = (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        try
        {
            // The worker reads the whole batch before it runs any, so this write cannot block on a full pipe for long.
            _deadline = _time.GetTimestamp() + ticks;
            _writer.Write(WorkerProtocol.Batch);
            _writer.Write(inputs.Count);
            foreach (var input in inputs)
            {
                _writer.Write(input.Length);
                _writer.Write(input);
            }
            _writer.Flush();
            while (results.Count < inputs.Count)
            {
                results.Add(ReadResult());
                _deadline = _time.GetTimestamp() + ticks; // the next input's own time starts now
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            results.Add(Dead());
        }
        finally
        {
            _deadline = 0;
        }
        return results;
    }

    private ExecResult ReadResult()
    {
        var status = (RunStatus)_reader.ReadByte();
        var count = _reader.ReadInt32();
        if (count is < 0 or > WorkerProtocol.MapSize)
            throw new InvalidDataException($"worker sent {count} map cells");
        var hits = new (ushort, byte)[count];
        for (var i = 0; i < count; i++)
            hits[i] = (_reader.ReadUInt16(), _reader.ReadByte());
        if (status == RunStatus.Ok)
            return new ExecResult(ExecKind.Ok, hits);
        var type = WorkerProtocol.ReadString(_reader);
        var message = WorkerProtocol.ReadString(_reader);
        var stack = WorkerProtocol.ReadString(_reader);
        return new ExecResult(ExecKind.Crash, hits, type, message, stack);
    }

    private void Watch()
    {
        while (!_disposed)
        {
            Thread.Sleep(10);
            var deadline = Interlocked.Read(ref _deadline);
            // Re-read after the clock: on a loaded machine this thread can be descheduled between the two reads, and a
            // deadline read before that may belong to an input that has since finished (killing would blame the next one).
            if (deadline != 0 && _time.GetTimestamp() > deadline && Interlocked.Read(ref _deadline) == deadline)
            {
                _timedOut = true;
                Kill();
                return;
            }
        }
    }

    private string StderrTail()
    {
        lock (_stderr)
            return _stderr.ToString();
    }

    private int? SafeExitCode()
    {
        try
        {
            return _process.HasExited ? _process.ExitCode : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _writer.Write(WorkerProtocol.Quit);
                _writer.Flush();
                if (!_process.WaitForExit(500))
                    Kill();
            }
        }
        catch (IOException)
        {
            Kill();
        }
        _process.Dispose();
    }
}

/// <summary>How to start a worker.</summary>
internal sealed record WorkerLaunch(string RunnerPath, string ManifestPath, int MemoryLimitMb, TimeSpan StartupTimeout);
