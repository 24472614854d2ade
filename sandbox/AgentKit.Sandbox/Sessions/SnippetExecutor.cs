using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Compilation;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// Compiles snippets (in this process), sends the images to workers, and reports every outcome — a refusal, a
/// lost worker — as an <see cref="ExecutionResult"/>.
/// </summary>
internal sealed class SnippetExecutor(WorkerPool pool, SandboxOptions options)
{
    public WorkerPool Pool => pool;

    public SandboxOptions Options => options;

    /// <summary>A stopwatch start for <see cref="ElapsedMs"/>.</summary>
    public long Now() => options.TimeProvider.GetTimestamp();

    /// <summary>Milliseconds since <paramref name="started"/>.</summary>
    public double ElapsedMs(long started) => options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>
    /// Compiles and checks <paramref name="code"/> on top of <paramref name="previous"/>; a failure comes back as the
    /// result to report (nothing ran). Compilation counts against the snippet's timeout.
    /// </summary>
    public (CompiledSubmission? Submission, ExecutionResult? Failure) Compile(string code, CompiledSubmission? previous, long started, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.Timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            var (submission, failure) = SubmissionCompiler.Compile(code, previous, trusted: false, linked.Token);
            if (failure is null) return (submission, null);
            return (null, new ExecutionResult
            {
                Status = ResultMapper.ToStatus(failure.Status), Error = failure.Error, Line = failure.Line, Column = failure.Column, ElapsedMs = ElapsedMs(started),
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, new ExecutionResult { Status = ExecutionStatus.Timeout, Error = $"Compiling the snippet took longer than the {options.Timeout.TotalMilliseconds:F0} ms limit.", ElapsedMs = ElapsedMs(started) });
        }
    }

    /// <summary>
    /// Runs <paramref name="submission"/> in context <paramref name="contextId"/> of <paramref name="worker"/> (0: a
    /// throwaway context), within what is left of the timeout after <paramref name="spent"/> (its compilation).
    /// </summary>
    public async Task<ExecutionResult> RunAsync(WorkerProcess worker, long contextId, ImageRef submission, ToolCallHandler? tools, TimeSpan spent, CancellationToken cancellationToken)
    {
        var remaining = options.Timeout - spent;
        if (remaining < TimeSpan.FromMilliseconds(1)) remaining = TimeSpan.FromMilliseconds(1);
        var started = options.TimeProvider.GetTimestamp();
        double ElapsedMs(long since) => (spent + options.TimeProvider.GetElapsedTime(since)).TotalMilliseconds;
        try
        {
            var reply = await worker.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Run, ContextId = contextId, Image = submission }, tools, remaining, cancellationToken, statedLimit: options.Timeout)
                .ConfigureAwait(false);
            if (reply.Recycle) pool.Retire(worker, $"recycled after {reply.Status}");
            return ResultMapper.ToResult(reply, ElapsedMs(started), options.MaxOutputChars);
        }
        catch (WorkerLostException lost)
        {
            pool.Retire(worker, lost.Message);
            return new ExecutionResult { Status = lost.Status, Error = lost.Message, ElapsedMs = ElapsedMs(started) };
        }
        catch (OperationCanceledException)
        {
            pool.Retire(worker, "the caller cancelled a running snippet");
            throw;
        }
    }

    /// <summary>
    /// Opens context <paramref name="contextId"/> on <paramref name="worker"/> and rebuilds the committed state in it,
    /// in one request: the tool prelude, then each step, its tool calls answered from the recorded log (a step whose
    /// calls diverge from its log asks <paramref name="tools"/>, which runs them live). Null when it worked; otherwise
    /// the result that says why the state could not be rebuilt (the worker is then gone).
    /// </summary>
    public async Task<ExecutionResult?> RestoreAsync(
        WorkerProcess worker, long contextId, ImageRef? prelude, IReadOnlyList<ReplayStep> steps, ToolCallHandler tools, CancellationToken cancellationToken)
    {
        var started = Now();
        var request = new WorkerRequest { Kind = WorkerProtocol.Requests.Restore, ContextId = contextId, Image = prelude, Steps = [.. steps] };
        try
        {
            // Each step ran within the snippet limit once; together they get as much again.
            var reply = await worker.SendAsync(request, tools, options.Timeout * (steps.Count + 1), cancellationToken).ConfigureAwait(false);
            if (reply.Recycle)
            {
                pool.Retire(worker, $"recycled after {reply.Status} while restoring a state");
                return Unrestored($"replaying a step ended with {reply.Status} ({reply.Error})");
            }
            if (reply.Status == WorkerProtocol.Statuses.Ok) return null;
            pool.Retire(worker, $"a state could not be restored in it: {reply.Error}");
            return Unrestored(reply.Error ?? reply.Status ?? "the worker gave no reason");
        }
        catch (WorkerLostException lost)
        {
            pool.Retire(worker, lost.Message);
            return Unrestored($"{lost.Status}: {lost.Message}");
        }
        catch (OperationCanceledException)
        {
            pool.Retire(worker, "the caller cancelled while a state was restored");
            throw;
        }

        ExecutionResult Unrestored(string why) => new()
        {
            Status = ExecutionStatus.Crashed, Error = $"The session state could not be restored: {why}.", ElapsedMs = ElapsedMs(started),
        };
    }
}
