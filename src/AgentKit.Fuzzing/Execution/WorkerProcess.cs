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
    private volatile InFlightInput? _watched; // in-process slice running: the watchdog follows its input counter
    private long _stallTicks;
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
        // Buffered: the pipe stream is not, and a slice's corpus entries are written a few bytes at a time (every hit
        // pair): unbuffered that was a system call per hit, about half a second per slice on a markup parser, during
        // which the worker sat waiting. Every request ends with a flush.
        _writer = new BinaryWriter(new BufferedStream(_process.StandardInput.BaseStream, 1 << 16));
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

    /// <summary>
    /// In-process mode: sets up the worker's own fuzz loop (mutator seed, longest mutant, dictionary) writing each input
    /// to <paramref name="inFlight"/>. Once per worker process; a dead worker shows at the next <see cref="FuzzSlice"/>.
    /// </summary>
    public void StartFuzzing(int seed, int maxInputBytes, InFlightInput inFlight, IReadOnlyList<byte[]> dictionary)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        inFlight.Reset();
        try
        {
            _writer.Write(WorkerProtocol.FuzzSetup);
            _writer.Write(seed);
            _writer.Write(maxInputBytes);
            WorkerProtocol.WriteString(_writer, inFlight.Path);
            _writer.Write(dictionary.Count);
            foreach (var token in dictionary)
                WorkerProtocol.WriteBytes(_writer, token);
            _writer.Flush();
        }
        catch (IOException)
        {
            // dead already: the next slice reads end of stream and reports it
        }
    }

    /// <summary>
    /// In-process mode: gives the worker the corpus entries it has not seen (bytes and hits), lets it fuzz for
    /// <paramref name="length"/>, and returns what it found. An input that runs past <paramref name="timeout"/>
    /// (no new input started for that long) gets the worker killed; a dead or killed worker ends the slice with a
    /// <see cref="ExecKind.Died"/> or <see cref="ExecKind.Hang"/> result for the input in flight, read from the
    /// in-flight file, and must be replaced.
    /// </summary>
    public FuzzSliceResult FuzzSlice(TimeSpan length, IReadOnlyList<(byte[] Data, (ushort Index, byte Count)[] Hits)> entries, TimeSpan timeout, InFlightInput inFlight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var found = new List<(byte[] Input, ExecResult Result)>();
        var before = inFlight.Started;
        try
        {
            _writer.Write(WorkerProtocol.FuzzSlice);
            _writer.Write((int)Math.Max(1, length.TotalMilliseconds));
            _writer.Write(entries.Count);
            foreach (var (data, hits) in entries)
            {
                WorkerProtocol.WriteBytes(_writer, data);
                WorkerProtocol.WriteHits(_writer, hits);
            }
            _writer.Flush();
            _stallTicks = (long)(timeout.TotalSeconds * _time.TimestampFrequency);
            _watched = inFlight;
            while (true)
            {
                var tag = _reader.ReadByte();
                if (tag == WorkerProtocol.SliceEnd)
                {
                    var execs = _reader.ReadInt64();
                    var targetTime = TimeSpan.FromTicks(_reader.ReadInt64() / 100);
                    return new FuzzSliceResult(found, execs, null, null) { TargetTime = targetTime };
                }
                if (tag != WorkerProtocol.Found)
                    throw new InvalidDataException($"worker sent event {tag} in a fuzz slice");
                var input = WorkerProtocol.ReadBytes(_reader);
                found.Add((input, ReadResult()));
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            _watched = null;
            var dead = Dead();
            var started = inFlight.Started;
            // No input started since the setup: the worker died loading it, no input to blame.
            return new FuzzSliceResult(found, Math.Max(0, started - before - found.Count), dead, started > 0 ? inFlight.Read() : null);
        }
        finally
        {
            _watched = null;
        }
    }

    private ExecResult ReadResult()
    {
        var status = (RunStatus)_reader.ReadByte();
        var hits = WorkerProtocol.ReadHits(_reader);
        if (status == RunStatus.Ok)
            return new ExecResult(ExecKind.Ok, hits);
        var type = WorkerProtocol.ReadString(_reader);
        var message = WorkerProtocol.ReadString(_reader);
        var stack = WorkerProtocol.ReadString(_reader);
        return new ExecResult(ExecKind.Crash, hits, type, message, stack);
    }

    private void Watch()
    {
        long lastStarted = -1, lastProgress = 0;
        while (!_disposed)
        {
            Thread.Sleep(10);
            if (_watched is { } inFlight)
            {
                // In-process slice: no deadline per input, but the count of inputs started must keep moving.
                var started = inFlight.Started;
                var now = _time.GetTimestamp();
                if (started != lastStarted)
                    (lastStarted, lastProgress) = (started, now);
                else if (now - lastProgress > _stallTicks && _watched is not null)
                {
                    _timedOut = true;
                    Kill();
                    return;
                }
                continue;
            }
            lastStarted = -1;
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

/// <summary>
/// What one in-process slice brought back: the inputs the worker reported (new coverage in the worker, or a crash on a
/// new path), the inputs it ran, and, when the worker died or hung, that result and the input in flight (null when it
/// died before running any).
/// </summary>
internal sealed record FuzzSliceResult(IReadOnlyList<(byte[] Input, ExecResult Result)> Found, long Execs, ExecResult? Ended, byte[]? EndedInput)
{
    /// <summary>Time the worker spent running the target (zero when the slice ended with the worker's death or hang).</summary>
    public TimeSpan TargetTime { get; init; }
}

/// <summary>How to start a worker.</summary>
internal sealed record WorkerLaunch(string RunnerPath, string ManifestPath, int MemoryLimitMb, TimeSpan StartupTimeout);
