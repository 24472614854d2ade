using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Sandbox.Pool;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// One agent run's notebook state. The state is defined as the list of committed steps (code plus the tool answers
/// each received); a live script context in some worker is only a cache of it. Whenever that cache is missing —
/// its worker was killed, or a candidate other than the first is being tried — a fresh context replays the steps,
/// answering tool calls from the log. Replay re-runs code, so values drawn from the clock or <c>Random</c> are
/// drawn again.
/// </summary>
internal sealed class CodeSession : ICodeSession
{
    private readonly SnippetExecutor _executor;
    private readonly ToolDispatcher _tools;
    private readonly string? _prelude;
    private readonly List<CommittedStep> _history = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ContextHandle? _live;
    private IReadOnlyList<CandidateRun>? _candidates;
    private bool _disposed;

    private CodeSession(SnippetExecutor executor, ToolDispatcher tools, string? prelude)
    {
        _executor = executor;
        _tools = tools;
        _prelude = prelude;
    }

    /// <summary>Opens a session and its first context (which also checks that the tool declarations compile).</summary>
    public static async Task<CodeSession> OpenAsync(SnippetExecutor executor, IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken)
    {
        var byName = ToolPrelude.Index(tools);
        var session = new CodeSession(executor, new ToolDispatcher(byName), ToolPrelude.Build(tools));
        using var lease = await executor.Pool.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
        var (context, failure) = await executor.RestoreAsync(lease, session._prelude, [], session._tools, cancellationToken).ConfigureAwait(false);
        // A worker lost while opening is not the caller's fault: the first step will open a context again.
        session._live = failure is null ? context : null;
        return session;
    }

    /// <summary>Number of committed steps (the state a new context replays).</summary>
    internal int StepCount => _history.Count;

    public async Task<ExecutionResult> ExecuteAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DiscardCandidates(keep: null);
            var (lease, context, failure) = await LeaseLiveContextAsync(_live, cancellationToken).ConfigureAwait(false);
            _live = context;
            if (failure is not null) return failure;
            using (lease)
            {
                var log = new List<ToolCallRecord>();
                var result = await _executor.RunAsync(lease!, context!.Id, code, _tools.Live(log), cancellationToken).ConfigureAwait(false);
                if (ResultMapper.ChangesState(result.Status)) _history.Add(new CommittedStep(code, log));
                if (!context.IsAlive) _live = null; // killed: state falls back to the committed steps
                return result;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<ExecutionResult>> TryCandidatesAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0) throw new ArgumentException("Give at least one candidate.", nameof(candidates));
        if (candidates.Any(c => c is null)) throw new ArgumentException("A candidate is null.", nameof(candidates));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DiscardCandidates(keep: null);
            // The first candidate may use the live context; the others replay the state in fresh ones. Either way the
            // live context no longer matches the committed state afterwards, so the session lets go of it.
            var live = _live;
            _live = null;
            var runs = candidates.Select((code, i) => RunCandidateAsync(code, i == 0 ? live : null, cancellationToken)).ToArray();
            try
            {
                _candidates = await Task.WhenAll(runs).ConfigureAwait(false);
            }
            catch
            {
                foreach (var run in runs.Where(r => r.IsCompletedSuccessfully)) run.Result.Context?.Close();
                throw;
            }
            return _candidates.Select(c => c.Result).ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task CommitCandidateAsync(int index, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var candidates = _candidates ?? throw new InvalidOperationException("There are no candidates to commit: call TryCandidatesAsync first (each try can be committed once).");
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, candidates.Count);
            var chosen = candidates[index];
            if (ResultMapper.ChangesState(chosen.Result.Status)) _history.Add(new CommittedStep(chosen.Code, chosen.ToolCalls));
            // The chosen candidate's context already holds exactly the new state: adopt it, no re-run.
            _live = chosen.Context is { IsAlive: true } ? chosen.Context : null;
            DiscardCandidates(keep: index);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            DiscardCandidates(keep: null);
            _live?.Close();
            _live = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CandidateRun> RunCandidateAsync(string code, ContextHandle? context, CancellationToken cancellationToken)
    {
        var (lease, ready, failure) = await LeaseLiveContextAsync(context, cancellationToken).ConfigureAwait(false);
        if (failure is not null) return new CandidateRun(code, null, failure, []);
        using (lease)
        {
            var log = new List<ToolCallRecord>();
            var result = await _executor.RunAsync(lease!, ready!.Id, code, _tools.Live(log), cancellationToken).ConfigureAwait(false);
            return new CandidateRun(code, ready.IsAlive ? ready : null, result, log);
        }
    }

    /// <summary>
    /// Leases the worker holding <paramref name="context"/> when it is still alive; otherwise leases the least loaded
    /// worker and restores the committed state into a new context there.
    /// </summary>
    private async Task<(WorkerLease? Lease, ContextHandle? Context, ExecutionResult? Failure)> LeaseLiveContextAsync(
        ContextHandle? context, CancellationToken cancellationToken)
    {
        if (context is { IsAlive: true })
        {
            var lease = await _executor.Pool.AcquireAsync(context.Slot, cancellationToken).ConfigureAwait(false);
            if (lease.Generation == context.Generation) return (lease, context, null);
            lease.Dispose(); // replaced while we waited
        }

        var fresh = await _executor.Pool.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
        try
        {
            var (restored, failure) = await _executor.RestoreAsync(fresh, _prelude, _history, _tools, cancellationToken).ConfigureAwait(false);
            if (failure is null) return (fresh, restored, null);
            fresh.Dispose();
            return (null, null, failure);
        }
        catch
        {
            fresh.Dispose();
            throw;
        }
    }

    private void DiscardCandidates(int? keep)
    {
        if (_candidates is null) return;
        for (var i = 0; i < _candidates.Count; i++)
        {
            if (i != keep) _candidates[i].Context?.Close();
        }
        _candidates = null;
    }
}
