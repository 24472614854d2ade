using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Pool;

/// <summary>Answers a worker's tool call with the <c>tool_result</c> request to send back.</summary>
internal delegate ValueTask<WorkerRequest> ToolCallHandler(WorkerReply call, CancellationToken cancellationToken);

/// <summary>
/// One worker child process and its pipes. Requests are strictly sequential (the owning slot guarantees it).
/// A request that outlives its deadline kills the process: nothing else stops a <c>while (true) {}</c>.
/// </summary>
internal sealed class WorkerProcess
{
    private const int StderrKeptChars = 4_096;

    private readonly Process _process;
    private readonly BoundedLineReader _reader;
    private readonly string? _workDirectory;
    private readonly TimeProvider _time;
    private readonly StringBuilder _stderr = new();
    private int _killed;

    private WorkerProcess(Process process, string? workDirectory, int maxMessageBytes, TimeProvider time)
    {
        _process = process;
        _reader = new BoundedLineReader(process.StandardOutput.BaseStream, maxMessageBytes);
        _workDirectory = workDirectory;
        _time = time;
        ProcessId = process.Id;
        StartedAt = time.GetUtcNow();
    }

    /// <summary>Operating-system id of the process the host started (the confinement's launcher when confined).</summary>
    public int ProcessId { get; }

    /// <summary>Operating-system id (as the host sees it) of the process that runs snippets, inside its confinement.</summary>
    public int RuntimeProcessId { get; private set; }

    /// <summary>When the worker was started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Snippets this worker ran (warm-up included).</summary>
    public int SnippetsRun { get; private set; }

    /// <summary>True once the process exited or was killed.</summary>
    public bool HasExited => Volatile.Read(ref _killed) != 0 || _process.HasExited;

    /// <summary>Starts a worker in a fresh empty directory and waits for its ready message.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, TimeSpan startTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var workDirectory = launch.NewWorkDirectory();
        var process = new Process { StartInfo = launch.CreateStartInfo(workDirectory), EnableRaisingEvents = true };
        try
        {
            if (!await SpawnThread.StartAsync(process).ConfigureAwait(false)) throw new InvalidOperationException("The sandbox worker process did not start.");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception)
        {
            TryDeleteDirectory(workDirectory);
            throw new InvalidOperationException($"The sandbox worker process could not be started: {ex.Message}", ex);
        }

        var worker = new WorkerProcess(process, workDirectory, launch.MaxMessageBytes, time);
        process.ErrorDataReceived += (_, e) => worker.KeepStderr(e.Data);
        process.BeginErrorReadLine();
        try
        {
            var ready = await worker.ReadAsync(startTimeout, cancellationToken).ConfigureAwait(false);
            if (ready.Kind != WorkerProtocol.Replies.Ready)
                throw new InvalidOperationException($"The sandbox worker sent '{ready.Kind}' instead of 'ready'.");
            worker.RuntimeProcessId = ProcessTree.FindDescendant(worker.ProcessId, "/AgentKit.Sandbox.Worker.dll") ?? worker.ProcessId;
            return worker;
        }
        catch (WorkerLostException ex)
        {
            worker.Kill();
            throw new InvalidOperationException($"The sandbox worker did not start: {ex.Message}", ex);
        }
        catch
        {
            worker.Kill();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/>, answers tool calls through <paramref name="tools"/>, and returns the result.
    /// Throws <see cref="WorkerLostException"/> when the deadline passes (the worker is then killed) or the worker dies.
    /// <paramref name="statedLimit"/> is the limit the timeout error names, when the caller gave the worker only what
    /// was left of it (a snippet's limit after its compilation); by default <paramref name="timeout"/>.
    /// </summary>
    public async Task<WorkerReply> SendAsync(WorkerRequest request, ToolCallHandler? tools, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? statedLimit = null)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        if (request.Kind == WorkerProtocol.Requests.Run) SnippetsRun++;
        try
        {
            await WriteAsync(request).ConfigureAwait(false);
            while (true)
            {
                var reply = await ReadAsync(Timeout.InfiniteTimeSpan, linked.Token).ConfigureAwait(false);
                if (reply.Kind != WorkerProtocol.Replies.ToolCall) return reply;
                var answer = tools is null
                    ? new WorkerRequest { Kind = WorkerProtocol.Requests.ToolResult, Ok = false, Error = "No tools are available here." }
                    : await tools(reply, linked.Token).ConfigureAwait(false);
                await WriteAsync(answer).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new WorkerLostException(ExecutionStatus.Timeout, $"The snippet ran past its {(statedLimit ?? timeout).TotalMilliseconds:F0} ms limit; its worker was killed.");
        }
        catch (OperationCanceledException)
        {
            // The caller gave up; the only way to stop the snippet is to stop its process.
            Kill();
            throw;
        }
    }

    /// <summary>Kills the process (and its children) and removes its working directory.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 0) Terminate();
    }

    /// <summary>
    /// Marks the worker killed at once (<see cref="HasExited"/> is true and it is never handed a request again) and
    /// kills its processes and removes its directory on a pool thread: finding a process tree reads every process on
    /// the machine, tens of milliseconds that the caller of a finished run need not wait for. Null when it was
    /// already killed.
    /// </summary>
    public Task? KillInBackground() => Interlocked.Exchange(ref _killed, 1) == 0 ? Task.Run(Terminate) : null;

    private void Terminate()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        TryDeleteDirectory(_workDirectory);
        _process.Dispose();
    }

    /// <summary>Resident memory of the process that runs snippets in bytes, or null when it is gone.</summary>
    public long? ResidentBytes()
    {
        try
        {
            if (HasExited) return null;
            using var runtime = Process.GetProcessById(RuntimeProcessId);
            return runtime.WorkingSet64;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private async Task WriteAsync(WorkerRequest request)
    {
        try
        {
            var line = JsonSerializer.Serialize(request, WorkerProtocol.Json);
            await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw await LostAsync().ConfigureAwait(false);
        }
    }

    private async Task<WorkerReply> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            // Pipe reads do not observe cancellation everywhere; waiting on the task does, and a kill then ends the read.
            line = await _reader.ReadLineAsync(CancellationToken.None)
                .WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (MessageTooLargeException ex)
        {
            Kill();
            throw new WorkerLostException(ExecutionStatus.Crashed, $"{ex.Message} It was killed.");
        }
        catch (TimeoutException)
        {
            Kill();
            throw new WorkerLostException(ExecutionStatus.Crashed, $"The worker did not answer within {timeout.TotalSeconds:F0} s.");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            line = null;
        }
        if (line is null) throw await LostAsync().ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<WorkerReply>(line, WorkerProtocol.Json)
                ?? throw new JsonException("empty message");
        }
        catch (JsonException ex)
        {
            Kill();
            throw new WorkerLostException(ExecutionStatus.Crashed, $"The worker broke the protocol ({ex.Message}).");
        }
    }

    /// <summary>Describes why the process is gone, from its exit code and what it wrote to stderr.</summary>
    private async Task<WorkerLostException> LostAsync()
    {
        int? exitCode = null;
        try
        {
            if (Volatile.Read(ref _killed) == 0)
            {
                // Let stderr drain: it says "Stack overflow" or "OutOfMemoryException".
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                exitCode = _process.ExitCode;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Exit code unknown.
        }
        Kill();
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        if (stderr.Contains("OutOfMemory", StringComparison.OrdinalIgnoreCase) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
            return new WorkerLostException(ExecutionStatus.MemoryLimit, "The snippet exceeded the sandbox memory limit; its worker died.");
        var firstLine = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var cause = stderr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) ? "stack overflow (unbounded recursion?)" : firstLine ?? "no message";
        var code = exitCode is { } c ? $" with exit code {c}" : "";
        return new WorkerLostException(ExecutionStatus.Crashed, $"The worker process died{code}: {cause}.");
    }

    private void KeepStderr(string? line)
    {
        if (line is null) return;
        lock (_stderr)
        {
            if (_stderr.Length < StderrKeptChars) _stderr.AppendLine(line.Length > 512 ? line[..512] : line);
        }
    }

    private static void TryDeleteDirectory(string? directory)
    {
        if (directory is null) return; // confined: the scratch tmpfs went with the worker's mount namespace
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover empty temp directory is harmless.
        }
    }
}
