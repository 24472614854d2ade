using System.Diagnostics;
using AgentKit.Sandbox.Logging;
using AgentKit.Sandbox.Protocol;
using Microsoft.Extensions.Logging;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// A fixed set of pre-warmed worker processes. Each start runs a warm-up snippet, so Roslyn's cold start
/// (most of a second) is paid before the first real snippet, never on its clock.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    // Exercises parsing, binding, the policy walk, emit, loading, LINQ and output capture once.
    private const string WarmUpSnippet =
        "var squares = Enumerable.Range(1, 10).Select(i => i * i).Where(i => i % 2 == 0).ToList();\n" +
        "Console.WriteLine($\"{squares.Count} {string.Join(\",\", squares)}\");\n" +
        "squares.Sum()";

    private readonly WorkerSlot[] _slots;
    private readonly CancellationTokenSource _stopping = new();
    private long _nextContextId;
    private int _roundRobin;

    private WorkerPool(SandboxOptions options, WorkerLaunch launch, ILogger logger)
    {
        _slots = new WorkerSlot[options.PoolSize];
        for (var i = 0; i < _slots.Length; i++)
            _slots[i] = new WorkerSlot(i, ct => StartWorkerAsync(options, launch, logger, ct), logger, _stopping.Token);
    }

    /// <summary>The slots, in order.</summary>
    public IReadOnlyList<WorkerSlot> Slots => _slots;

    /// <summary>Starts every worker and waits until all are warm.</summary>
    public static async Task<WorkerPool> StartAsync(SandboxOptions options, WorkerLaunch launch, ILogger logger, CancellationToken cancellationToken)
    {
        var pool = new WorkerPool(options, launch, logger);
        try
        {
            await Task.WhenAll(pool._slots.Select(s => s.Worker)).WaitAsync(cancellationToken).ConfigureAwait(false);
            return pool;
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new id for a script context, unique in this pool (0 is reserved for one-shot snippets).</summary>
    public long NewContextId() => Interlocked.Increment(ref _nextContextId);

    /// <summary>Leases <paramref name="preferred"/>, or else the least loaded slot.</summary>
    public Task<WorkerLease> AcquireAsync(WorkerSlot? preferred, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (preferred is not null) return preferred.AcquireAsync(cancellationToken);
        var start = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_slots.Length);
        var best = _slots[start];
        for (var i = 1; i < _slots.Length; i++)
        {
            var slot = _slots[(start + i) % _slots.Length];
            if (slot.Load < best.Load) best = slot;
        }
        return best.AcquireAsync(cancellationToken);
    }

    /// <summary>Kills every worker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var slot in _slots)
        {
            try
            {
                (await slot.Worker.ConfigureAwait(false)).Kill();
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or WorkerLostException)
            {
                // Never started; nothing to kill.
            }
        }
        _stopping.Dispose();
    }

    private static async Task<WorkerProcess> StartWorkerAsync(SandboxOptions options, WorkerLaunch launch, ILogger logger, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var worker = await WorkerProcess.StartAsync(launch, options.WorkerStartTimeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        try
        {
            var warmUp = await worker.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Run, Code = WarmUpSnippet }, null, options.WorkerStartTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (warmUp.Status != WorkerProtocol.Statuses.Ok)
                throw new InvalidOperationException($"The sandbox worker failed its warm-up snippet: {warmUp.Status} {warmUp.Error}");
        }
        catch (WorkerLostException ex)
        {
            throw new InvalidOperationException($"The sandbox worker died during its warm-up: {ex.Message}", ex);
        }
        catch
        {
            worker.Kill();
            throw;
        }
        SandboxLog.WorkerReady(logger, worker.ProcessId, watch.Elapsed.TotalMilliseconds, launch.NetworkIsolated);
        return worker;
    }
}
