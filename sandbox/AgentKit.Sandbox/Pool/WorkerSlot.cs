using AgentKit.Sandbox.Logging;
using AgentKit.Sandbox.Protocol;
using Microsoft.Extensions.Logging;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// One place in the pool: at most one worker process at a time, used by one caller at a time. When its worker
/// is lost the slot starts a replacement in the background and bumps <see cref="Generation"/>, which tells every
/// script context that lived in the old process that it is gone.
/// </summary>
internal sealed class WorkerSlot
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<CancellationToken, Task<WorkerProcess>> _startWorker;
    private readonly ILogger _logger;
    private readonly CancellationToken _poolStopping;
    private readonly List<long> _pendingCloses = [];
    private Task<WorkerProcess> _worker;
    private int _waiting;

    public WorkerSlot(int index, Func<CancellationToken, Task<WorkerProcess>> startWorker, ILogger logger, CancellationToken poolStopping)
    {
        Index = index;
        _startWorker = startWorker;
        _logger = logger;
        _poolStopping = poolStopping;
        _worker = startWorker(poolStopping);
    }

    /// <summary>Position in the pool.</summary>
    public int Index { get; }

    /// <summary>Incremented each time the worker is replaced.</summary>
    public int Generation { get; private set; }

    /// <summary>Callers holding or waiting for this slot; the pool sends new work to the least loaded slot.</summary>
    public int Load => Volatile.Read(ref _waiting);

    /// <summary>The current worker's start (completed once it is warm).</summary>
    public Task<WorkerProcess> Worker => _worker;

    /// <summary>Waits for exclusive use of the slot and its worker.</summary>
    public async Task<WorkerLease> AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }
        try
        {
            var worker = await CurrentWorkerAsync().ConfigureAwait(false);
            var lease = new WorkerLease(this, worker, Generation);
            await FlushClosesAsync(lease, cancellationToken).ConfigureAwait(false);
            return lease;
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>Asks for a context of generation <paramref name="generation"/> to be unloaded the next time the slot is used.</summary>
    public void ScheduleClose(int generation, long contextId)
    {
        lock (_pendingCloses)
        {
            if (generation == Generation) _pendingCloses.Add(contextId);
        }
    }

    /// <summary>Kills the worker (if alive) and starts another; only the lease holder calls this.</summary>
    internal void Replace(WorkerProcess lost, string reason)
    {
        SandboxLog.WorkerReplaced(_logger, lost.ProcessId, reason);
        lost.Kill();
        lock (_pendingCloses)
        {
            Generation++;
            _pendingCloses.Clear();
        }
        _worker = Task.Run(() => _startWorker(_poolStopping));
    }

    internal void Release()
    {
        Interlocked.Decrement(ref _waiting);
        _gate.Release();
    }

    private async Task<WorkerProcess> CurrentWorkerAsync()
    {
        try
        {
            return await _worker.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or WorkerLostException)
        {
            // One retry: a start can fail for a passing reason (a loaded machine missing the start timeout).
            SandboxLog.WorkerStartFailed(_logger, ex);
            Generation++;
            _worker = _startWorker(_poolStopping);
            return await _worker.ConfigureAwait(false);
        }
    }

    private async Task FlushClosesAsync(WorkerLease lease, CancellationToken cancellationToken)
    {
        long[] ids;
        lock (_pendingCloses)
        {
            if (_pendingCloses.Count == 0) return;
            ids = [.. _pendingCloses];
            _pendingCloses.Clear();
        }
        try
        {
            await lease.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Close, ContextIds = ids }, null, TimeSpan.FromSeconds(30), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (WorkerLostException)
        {
            // The worker died while unloading; the lease already replaced it, and its contexts are gone anyway.
            var replacement = await CurrentWorkerAsync().ConfigureAwait(false);
            lease.Rebind(replacement, Generation);
        }
    }
}
