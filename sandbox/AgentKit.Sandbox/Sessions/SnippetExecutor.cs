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
    public async Task<ExecutionResult> RunAsync(WorkerProcess worker, long contextId, SubmissionImage submission, ToolCallHandler? tools, TimeSpan spent, CancellationToken cancellationToken)
    {
        var remaining = options.Timeout - spent;
        if (remaining < TimeSpan.FromMilliseconds(1)) remaining = TimeSpan.FromMilliseconds(1);
        var started = options.TimeProvider.GetTimestamp();
        double ElapsedMs(long since) => (spent + options.TimeProvider.GetElapsedTime(since)).TotalMilliseconds;
        try
        {
            var reply = await worker.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Run, ContextId = contextId, Submission = submission }, tools, remaining, cancellationToken, statedLimit: options.Timeout)
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
    /// Opens context <paramref name="contextId"/> on <paramref name="worker"/> (with the tool prelude) and replays
    /// <paramref name="history"/> into it, tool calls answered from the recorded log. Null when it worked; otherwise
    /// the result that says why the state could not be rebuilt (the worker is then gone).
    /// </summary>
    public async Task<ExecutionResult?> RestoreAsync(
        WorkerProcess worker, long contextId, CompiledSubmission? prelude, IReadOnlyList<CommittedStep> history, ToolDispatcher tools, CancellationToken cancellationToken)
    {
        var started = Now();
        try
        {
            var opened = await worker.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Open, ContextId = contextId, Submission = prelude?.Image }, null, options.Timeout, cancellationToken)
                .ConfigureAwait(false);
            if (opened.Status != WorkerProtocol.Statuses.Ok)
            {
                pool.Retire(worker, "its tool prelude failed");
                return new ExecutionResult { Status = ExecutionStatus.Crashed, Error = $"Could not open a script context: the tool prelude failed ({opened.Error}).", ElapsedMs = ElapsedMs(started) };
            }
        }
        catch (WorkerLostException lost)
        {
            pool.Retire(worker, lost.Message);
            return new ExecutionResult { Status = lost.Status, Error = $"Could not open a script context: {lost.Message}", ElapsedMs = ElapsedMs(started) };
        }

        for (var i = 0; i < history.Count; i++)
        {
            var replayed = await RunAsync(worker, contextId, history[i].Submission.Image, tools.Replay(history[i].ToolCalls), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (worker.HasExited)
            {
                return new ExecutionResult
                {
                    Status = ExecutionStatus.Crashed,
                    Error = $"The session state could not be restored: replaying step {i + 1} ended with {replayed.Status} ({replayed.Error}).",
                    ElapsedMs = ElapsedMs(started),
                };
            }
        }
        return null;
    }
}
