using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>Sends snippets through leases and reports every outcome, a lost worker included, as an <see cref="ExecutionResult"/>.</summary>
internal sealed class SnippetExecutor(WorkerPool pool, SandboxOptions options)
{
    public WorkerPool Pool => pool;

    public SandboxOptions Options => options;

    /// <summary>Runs <paramref name="code"/> in context <paramref name="contextId"/> (0: a throwaway context).</summary>
    public async Task<ExecutionResult> RunAsync(WorkerLease lease, long contextId, string code, ToolCallHandler? tools, CancellationToken cancellationToken)
    {
        var started = options.TimeProvider.GetTimestamp();
        try
        {
            var reply = await lease.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Run, ContextId = contextId, Code = code }, tools, options.Timeout, cancellationToken)
                .ConfigureAwait(false);
            return ResultMapper.ToResult(reply, ElapsedMs(started));
        }
        catch (WorkerLostException lost)
        {
            return new ExecutionResult { Status = lost.Status, Error = lost.Message, ElapsedMs = ElapsedMs(started) };
        }
    }

    /// <summary>
    /// Opens a new context on the leased worker and replays <paramref name="history"/> into it (tool calls answered
    /// from the recorded log). Returns the handle, or the result describing why the state could not be rebuilt.
    /// </summary>
    public async Task<(ContextHandle? Context, ExecutionResult? Failure)> RestoreAsync(
        WorkerLease lease, string? prelude, IReadOnlyList<CommittedStep> history, ToolDispatcher tools, CancellationToken cancellationToken)
    {
        var started = options.TimeProvider.GetTimestamp();
        var context = new ContextHandle(lease.Slot, lease.Generation, pool.NewContextId());
        try
        {
            var opened = await lease.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Open, ContextId = context.Id, Prelude = prelude }, null, options.Timeout, cancellationToken)
                .ConfigureAwait(false);
            if (opened.Status != WorkerProtocol.Statuses.Ok)
                throw new ArgumentException($"The tools' generated declarations do not compile: {opened.Error}");
        }
        catch (WorkerLostException lost)
        {
            return (null, new ExecutionResult { Status = lost.Status, Error = $"Could not open a script context: {lost.Message}", ElapsedMs = ElapsedMs(started) });
        }

        for (var i = 0; i < history.Count; i++)
        {
            var replayed = await RunAsync(lease, context.Id, history[i].Code, tools.Replay(history[i].ToolCalls), cancellationToken).ConfigureAwait(false);
            if (!lease.WorkerAlive)
            {
                return (null, new ExecutionResult
                {
                    Status = ExecutionStatus.Crashed,
                    Error = $"The session state could not be restored: replaying step {i + 1} ended with {replayed.Status} ({replayed.Error}).",
                    ElapsedMs = ElapsedMs(started),
                });
            }
        }
        return (context, null);
    }

    private double ElapsedMs(long started) => options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
}
