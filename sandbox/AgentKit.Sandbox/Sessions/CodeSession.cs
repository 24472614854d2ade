using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Sandbox.Compilation;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// One agent run's notebook state. The state is defined as the list of committed steps (each step's compiled image
/// plus the tool answers it received); a live script context is only a cache of it. The run has worker processes of
/// its own, fresh from the pool and killed when it ends: no other run ever shares them. Whenever the cache is
/// missing — its worker was killed, or a candidate other than the first is being tried — a fresh context replays
/// the steps, answering tool calls from the log, in one request to the worker. Workers keep each image loaded once
/// and share it between the run's contexts (unless the code declares static state), so a replay re-runs code but
/// never reloads it. Replay re-runs code, so values drawn from the clock or <c>Random</c> are drawn again.
/// </summary>
internal sealed class CodeSession : ICodeSession
{
    private readonly SnippetExecutor _executor;
    private readonly ToolDispatcher _tools;
    private readonly CompiledSubmission? _prelude;
    private readonly List<CommittedStep> _history = [];
    private readonly List<WorkerProcess> _workers = [];
    private readonly WorkerLedger _ledger = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ContextHandle? _live;
    private IReadOnlyList<CandidateRun>? _candidates;
    private long _nextContextId;
    private bool _disposed;

    private CodeSession(SnippetExecutor executor, ToolDispatcher tools, CompiledSubmission? prelude)
    {
        _executor = executor;
        _tools = tools;
        _prelude = prelude;
    }

    /// <summary>Compiles the tool prelude, takes the run's first worker and opens its context there.</summary>
    public static async Task<CodeSession> OpenAsync(SnippetExecutor executor, IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken)
    {
        var byName = ToolPrelude.Index(tools);
        CompiledSubmission? prelude = null;
        if (ToolPrelude.Build(tools) is { } code)
        {
            var (submission, failure) = SubmissionCompiler.Compile(code, null, trusted: true, cancellationToken);
            prelude = submission ?? throw new ArgumentException($"The tools' generated declarations do not compile: {failure!.Error}", nameof(tools));
        }
        var session = new CodeSession(executor, new ToolDispatcher(byName, executor.Options.MaxToolArgumentChars), prelude);
        try
        {
            // A failure here is not the caller's fault: the first step opens a context again.
            await session.EnsureLiveAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Number of committed steps (the state a new context replays).</summary>
    internal int StepCount => _history.Count;

    /// <summary>The worker processes this run holds now (diagnostics and tests).</summary>
    internal IReadOnlyList<WorkerProcess> Workers => AliveWorkers();

    private CompiledSubmission? Tip => _history.Count > 0 ? _history[^1].Submission : _prelude;

    public async Task<ExecutionResult> ExecuteAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DiscardCandidates(keep: null);
            var started = _executor.Now();
            var (compiled, refused) = _executor.Compile(code, Tip, started, cancellationToken);
            if (refused is not null) return refused;
            var spent = _executor.Options.TimeProvider.GetElapsedTime(started);
            return await RunOnCommittedStateAsync(code, compiled!, spent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Runs a compiled step in the live context, tools for real, and commits it whatever its outcome.
    private async Task<ExecutionResult> RunOnCommittedStateAsync(string code, CompiledSubmission compiled, TimeSpan spent, CancellationToken cancellationToken)
    {
        var (context, failure) = await EnsureLiveAsync(cancellationToken).ConfigureAwait(false);
        if (failure is not null) return failure;

        var log = new List<ToolCallRecord>();
        var result = await _executor.RunAsync(context!.Worker, context.Id, _ledger.RefFor(context.Worker, compiled), _tools.Live(log), spent, cancellationToken).ConfigureAwait(false);
        if (ResultMapper.ChangesState(result.Status)) _history.Add(new CommittedStep(code, compiled, log));
        if (!context.IsAlive) _live = null; // killed: the state falls back to the committed steps
        return result;
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
            var runs = new CandidateRun?[candidates.Count];
            var compiled = new (CompiledSubmission Submission, TimeSpan Spent)?[candidates.Count];
            var outcomes = await CompileEachOnceAsync(candidates, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < candidates.Count; i++)
            {
                var (submission, refused, spent) = outcomes[candidates[i]];
                if (refused is not null) runs[i] = new CandidateRun(candidates[i], null, null, refused, []);
                else compiled[i] = (submission!, spent);
            }

            // The first runnable candidate may use the live context; the others replay the state in fresh contexts,
            // spread over this run's workers. Either way the live context no longer matches the committed state.
            var live = _live;
            _live = null;
            var runnable = Enumerable.Range(0, candidates.Count).Where(i => compiled[i] is not null).ToList();
            var queues = await PlanAsync(runnable, live, cancellationToken).ConfigureAwait(false);
            try
            {
                var reads = new SharedReads();
                await Task.WhenAll(queues.Select(queue => RunQueueAsync(queue.Worker, queue.Items, candidates, compiled, runs, reads, cancellationToken))).ConfigureAwait(false);
            }
            catch
            {
                foreach (var run in runs) _ledger.ScheduleClose(run?.Context);
                throw;
            }
            _candidates = runs.Select(r => r!).ToArray();
            return _candidates.Select(c => c.Result).ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }

    // Compiles every distinct candidate once (candidates sampled from one prompt often agree), in parallel: the host's
    // cores are otherwise idle while the workers wait for images. Identical candidates share one image.
    private async Task<Dictionary<string, (CompiledSubmission? Submission, ExecutionResult? Refused, TimeSpan Spent)>> CompileEachOnceAsync(
        IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var tip = Tip;
        var distinct = candidates.Distinct(StringComparer.Ordinal).ToArray();
        var outcomes = await Task.WhenAll(distinct.Select(code => Task.Run(() =>
        {
            var started = _executor.Now();
            var (submission, refused) = _executor.Compile(code, tip, started, cancellationToken);
            return (submission, refused, _executor.Options.TimeProvider.GetElapsedTime(started));
        }, cancellationToken))).ConfigureAwait(false);
        return distinct.Zip(outcomes).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
    }

    public async Task<ExecutionResult> CommitCandidateAsync(int index, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var candidates = _candidates ?? throw new InvalidOperationException("There are no candidates to commit: call TryCandidatesAsync first (each try can be committed once).");
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, candidates.Count);
            var chosen = candidates[index];
            if (chosen.Submission is { } needsRerun && chosen.ToolCalls.Any(call => call.Held == HeldCall.Refused))
            {
                // The code needed a side-effecting tool's value: run it again on the committed state, for real, once.
                DiscardCandidates(keep: null);
                return await RunOnCommittedStateAsync(chosen.Code, needsRerun, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }

            var (log, failure) = await CarryOutHeldCallsAsync(chosen.ToolCalls, cancellationToken).ConfigureAwait(false);
            if (ResultMapper.ChangesState(chosen.Result.Status) && chosen.Submission is { } submission)
                _history.Add(new CommittedStep(chosen.Code, submission, log));
            // The chosen candidate's context already holds exactly the new state: adopt it, no re-run.
            _live = chosen.Context is { IsAlive: true } ? chosen.Context : null;
            DiscardCandidates(keep: index);
            return failure is null ? chosen.Result : chosen.Result with { Status = ExecutionStatus.RuntimeError, Error = failure };
        }
        finally
        {
            _gate.Release();
        }
    }

    // The void side-effecting calls the chosen candidate made while it was tried, carried out now, in order.
    private async Task<(List<ToolCallRecord> Log, string? Failure)> CarryOutHeldCallsAsync(IReadOnlyList<ToolCallRecord> calls, CancellationToken cancellationToken)
    {
        var log = new List<ToolCallRecord>(calls.Count);
        string? failure = null;
        foreach (var call in calls)
        {
            if (call.Held != HeldCall.Deferred)
            {
                log.Add(call);
                continue;
            }
            var done = await _tools.CarryOutAsync(call, cancellationToken).ConfigureAwait(false);
            log.Add(done);
            if (!done.Ok) failure ??= $"Tool '{call.Tool}' failed when the chosen action's call was carried out: {done.Error}";
        }
        return (log, failure);
    }

    /// <summary>Asks each of the run's workers for its memory figures (leak tests).</summary>
    internal async Task<IReadOnlyList<WorkerStats>> GetWorkerStatsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stats = new List<WorkerStats>();
            foreach (var worker in Workers)
            {
                await FlushClosesAsync(worker, cancellationToken).ConfigureAwait(false);
                var reply = await worker.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Stats }, null, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                if (reply.Stats is { } figures) stats.Add(figures);
            }
            return stats;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills the run's workers: nothing of this run survives it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            _candidates = null;
            _live = null;
            lock (_workers)
            {
                foreach (var worker in _workers) _executor.Pool.Retire(worker, "its run ended");
                _workers.Clear();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The live context, restored into a new context of one of the run's workers when it is missing.</summary>
    private async Task<(ContextHandle? Context, ExecutionResult? Failure)> EnsureLiveAsync(CancellationToken cancellationToken)
    {
        if (_live is { IsAlive: true }) return (_live, null);
        _live = null;
        var worker = AliveWorkers().FirstOrDefault() ?? await TakeWorkerAsync(cancellationToken).ConfigureAwait(false);
        var (context, failure) = await RestoreAsync(worker, cancellationToken).ConfigureAwait(false);
        _live = context;
        return (context, failure);
    }

    private async Task<(ContextHandle? Context, ExecutionResult? Failure)> RestoreAsync(WorkerProcess worker, CancellationToken cancellationToken)
    {
        await FlushClosesAsync(worker, cancellationToken).ConfigureAwait(false);
        var context = new ContextHandle(worker, Interlocked.Increment(ref _nextContextId));
        var prelude = _prelude is null ? null : _ledger.RefFor(worker, _prelude);
        var steps = _history.Select(step => new ReplayStep(_ledger.RefFor(worker, step.Submission), [.. step.ToolCalls.Select(call => call.ToReplayAnswer())])).ToArray();
        // A step that asks for a tool its log does not hold has diverged (clock, Random): its tools then run for real.
        var failure = await _executor.RestoreAsync(worker, context.Id, prelude, steps, _tools.Live([]), cancellationToken).ConfigureAwait(false);
        return failure is null ? (context, null) : (null, failure);
    }

    /// <summary>Spreads candidates over at most <see cref="SandboxOptions.PoolSize"/> of the run's workers, taking fresh ones as needed.</summary>
    private async Task<List<(WorkerProcess Worker, List<(int Index, ContextHandle? Context)> Items)>> PlanAsync(
        List<int> runnable, ContextHandle? live, CancellationToken cancellationToken)
    {
        var queues = new List<(WorkerProcess Worker, List<(int Index, ContextHandle? Context)> Items)>();
        if (runnable.Count == 0) return queues;
        var workers = AliveWorkers();
        if (live is { IsAlive: true })
        {
            workers.Remove(live.Worker);
            workers.Insert(0, live.Worker);
        }
        var wanted = Math.Min(runnable.Count, _executor.Options.PoolSize);
        if (workers.Count < wanted)
        {
            var taken = await Task.WhenAll(Enumerable.Range(0, wanted - workers.Count).Select(_ => TakeWorkerAsync(cancellationToken))).ConfigureAwait(false);
            workers.AddRange(taken);
        }
        foreach (var worker in workers.Take(Math.Max(wanted, 1))) queues.Add((worker, []));
        for (var i = 0; i < runnable.Count; i++)
        {
            var reuse = i == 0 && live is { IsAlive: true } ? live : null;
            queues[i % queues.Count].Items.Add((runnable[i], reuse));
        }
        return queues;
    }

    private async Task RunQueueAsync(
        WorkerProcess worker, List<(int Index, ContextHandle? Context)> items, IReadOnlyList<string> codes,
        (CompiledSubmission Submission, TimeSpan Spent)?[] compiled, CandidateRun?[] runs, SharedReads reads, CancellationToken cancellationToken)
    {
        foreach (var (index, reuse) in items)
        {
            var code = codes[index];
            var (submission, spent) = compiled[index]!.Value;
            var context = reuse is { IsAlive: true } ? reuse : null;
            if (context is null)
            {
                // A candidate killed its worker: the rest of this queue goes to a fresh one of the same run.
                if (worker.HasExited) worker = await TakeWorkerAsync(cancellationToken).ConfigureAwait(false);
                var (restored, failure) = await RestoreAsync(worker, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    runs[index] = new CandidateRun(code, submission, null, failure, []);
                    continue;
                }
                context = restored!;
            }
            var log = new List<ToolCallRecord>();
            var result = await _executor.RunAsync(context.Worker, context.Id, _ledger.RefFor(context.Worker, submission), _tools.Exploring(log, reads), spent, cancellationToken).ConfigureAwait(false);
            runs[index] = new CandidateRun(code, submission, context.IsAlive ? context : null, result, log);
        }
    }

    private async Task<WorkerProcess> TakeWorkerAsync(CancellationToken cancellationToken)
    {
        var worker = await _executor.Pool.TakeAsync(cancellationToken).ConfigureAwait(false);
        lock (_workers)
        {
            if (_disposed)
            {
                _executor.Pool.Retire(worker, "its run ended");
                throw new ObjectDisposedException(nameof(CodeSession));
            }
            _workers.Add(worker);
        }
        return worker;
    }

    private List<WorkerProcess> AliveWorkers()
    {
        lock (_workers)
        {
            foreach (var gone in _workers.Where(w => w.HasExited)) _ledger.Forget(gone);
            _workers.RemoveAll(w => w.HasExited);
            return [.. _workers];
        }
    }

    // Frees the candidates not kept: their contexts, and their images unless the kept one shares its image.
    private void DiscardCandidates(int? keep)
    {
        if (_candidates is null) return;
        var kept = keep is { } k ? _candidates[k].Submission : null;
        var dropped = new HashSet<long>();
        for (var i = 0; i < _candidates.Count; i++)
        {
            if (i == keep) continue;
            _ledger.ScheduleClose(_candidates[i].Context);
            if (_candidates[i].Submission is { } submission && submission.Id != kept?.Id && dropped.Add(submission.Id)) _ledger.ScheduleDrop(submission);
        }
        _candidates = null;
    }

    /// <summary>Unloads contexts and images nobody will use again before the worker's next request, so a long run stays small.</summary>
    private async Task FlushClosesAsync(WorkerProcess worker, CancellationToken cancellationToken)
    {
        if (_ledger.TakePending(worker) is not var (contexts, images)) return;
        try
        {
            var request = new WorkerRequest { Kind = WorkerProtocol.Requests.Close, ContextIds = contexts, DropImageIds = images };
            await worker.SendAsync(request, null, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerLostException ex)
        {
            _executor.Pool.Retire(worker, ex.Message); // its contexts died with it
        }
    }
}
