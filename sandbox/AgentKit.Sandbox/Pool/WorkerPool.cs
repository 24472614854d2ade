using System.Collections.Concurrent;
using System.Diagnostics;
using AgentKit.Sandbox.Compilation;
using AgentKit.Sandbox.Logging;
using AgentKit.Sandbox.Protocol;
using Microsoft.Extensions.Logging;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// Fresh, pre-warmed worker processes, handed out once each. A worker serves one run (one session or one
/// one-shot snippet) and is killed after it: nothing a snippet did to its process — memory it overwrote, process-wide
/// settings it changed — can reach another run. Retiring a worker starts its replacement, so
/// <see cref="SandboxOptions.PoolSize"/> runs at a time start without waiting, and no worker's start-up competes with
/// a run for the cores.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    // Loads, runs and unloads a submission that exercises what agent code uses most — anonymous types and records,
    // the common LINQ operators, dictionaries, string work, interpolation, a regex, output capture — so that the JIT
    // cost of that code (its shared generic instantiations especially) is paid while the worker waits in the pool,
    // not in the first step of a run.
    private const string WarmUpSnippet =
        "record Item(string Name, int Count, decimal Price, double Weight);\n" +
        "var items = Enumerable.Range(1, 40).Select(i => new Item(\"n\" + (i % 7), i, i * 1.5m, i / 3.0)).ToList();\n" +
        "var groups = items.GroupBy(x => x.Name).Select(g => new { Name = g.Key, Total = g.Sum(x => x.Price), N = g.Count(), W = g.Average(x => x.Weight) })\n" +
        "    .OrderByDescending(x => x.Total).ThenBy(x => x.Name).ToList();\n" +
        "var byName = items.ToDictionary(x => x.Name + x.Count, x => x.Count);\n" +
        "var words = \"the quick brown fox jumps over the lazy dog\".Split(' ');\n" +
        "var frequency = words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());\n" +
        "var sorted = words.Distinct().OrderBy(w => w.Length).ThenBy(w => w).ToArray();\n" +
        "var numbered = sorted.Zip(Enumerable.Range(1, sorted.Length), (w, n) => w + n).ToList();\n" +
        "var text = string.Join(\",\", groups.Take(3).Select(g => $\"{g.Name}:{g.Total:F1}\"));\n" +
        "var match = System.Text.RegularExpressions.Regex.Match(text, @\"\\d+\").Value;\n" +
        "var checksum = numbered.Aggregate(0, (acc, s) => acc * 31 + s.Length) + frequency[\"the\"] + byName.Count + items.Max(x => x.Count) + items.First(x => x.Count > 3).Count;\n" +
        "Console.WriteLine($\"{text}|{match}|{sorted.Length}|{items.Where(x => x.Weight > 2).Sum(x => x.Count)}\");\n" +
        "checksum";

    private static readonly Lazy<SubmissionImage> WarmUpImage = new(() =>
        SubmissionCompiler.Compile(WarmUpSnippet, null, trusted: true, CancellationToken.None).Submission?.Image
        ?? throw new InvalidOperationException("The sandbox's warm-up snippet does not compile."));

    private readonly SandboxOptions _options;
    private readonly WorkerLaunch _launch;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Task<WorkerProcess>> _starts = new();
    private readonly ConcurrentDictionary<WorkerProcess, byte> _live = new();
    private readonly ConcurrentDictionary<Task, byte> _terminations = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private WorkerPool(SandboxOptions options, WorkerLaunch launch, ILogger logger)
    {
        _options = options;
        _launch = launch;
        _logger = logger;
    }

    /// <summary>How workers start (confinement in force).</summary>
    public WorkerLaunch Launch => _launch;

    /// <summary>Every worker started and not yet killed: the idle ones and those serving a run.</summary>
    public IReadOnlyCollection<WorkerProcess> LiveWorkers => _live.Keys.Where(w => !w.HasExited).ToArray();

    /// <summary>Starts <see cref="SandboxOptions.PoolSize"/> workers and waits until all are warm.</summary>
    public static async Task<WorkerPool> StartAsync(SandboxOptions options, WorkerLaunch launch, ILogger logger, CancellationToken cancellationToken)
    {
        var pool = new WorkerPool(options, launch, logger);
        try
        {
            for (var i = 0; i < options.PoolSize; i++) pool.StartOne();
            await Task.WhenAll(pool._starts).WaitAsync(cancellationToken).ConfigureAwait(false);
            return pool;
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Hands out a warm worker that has never run a snippet; the caller owns it and must <see cref="Retire"/> it when
    /// its run ends, which starts its replacement. The replacement starts then rather than now so that its start-up
    /// (a runtime starting and warming up, the most CPU a worker ever needs) does not compete with the run for the
    /// machine's cores. One failed start is retried (a loaded machine can miss the start timeout).
    /// </summary>
    public async Task<WorkerProcess> TakeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_starts.TryDequeue(out var start)) start = StartTask();
            var handedOut = false;
            try
            {
                var worker = await start.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!worker.HasExited)
                {
                    _live[worker] = HandedOut;
                    handedOut = true;
                    return worker;
                }
                Forget(worker); // died while idle
            }
            catch (Exception ex) when (attempt == 0 && ex is InvalidOperationException or WorkerLostException)
            {
                SandboxLog.WorkerStartFailed(_logger, ex);
            }
            finally
            {
                // The pool keeps PoolSize starts: one used up without handing out a worker (it failed, died idle,
                // or the caller gave up) is replaced now; a handed-out worker is replaced when it is retired.
                if (!handedOut) StartOne();
            }
        }
    }

    /// <summary>
    /// Waits until every worker the pool is starting is warm, so the next <see cref="SandboxOptions.PoolSize"/> runs
    /// start without waiting. A start that failed is not an error here: <see cref="TakeAsync"/> retries it.
    /// </summary>
    public async Task WhenFullAsync(CancellationToken cancellationToken)
    {
        foreach (var start in _starts.ToArray())
        {
            try
            {
                await start.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or WorkerLostException)
            {
                // Logged once, by the take that meets it.
            }
        }
    }

    /// <summary>
    /// Forgets a worker whose run is over (or that was lost) and kills it; starts its replacement if it owes one. The
    /// worker is out of reach at once; its processes die in the background, and <see cref="DisposeAsync"/> waits for them.
    /// </summary>
    public void Retire(WorkerProcess worker, string reason)
    {
        if (!worker.HasExited) SandboxLog.WorkerRetired(_logger, worker.ProcessId, reason);
        if (worker.KillInBackground() is { } termination)
        {
            _terminations[termination] = 0;
            termination.ContinueWith(done => _terminations.TryRemove(done, out _), TaskScheduler.Default);
        }
        if (_live.TryRemove(worker, out var mark) && mark == HandedOut) StartOne();
    }

    // Values of _live: a worker serving a run, whose replacement starts when it is retired (0: idle or warming up).
    private const byte HandedOut = 1;

    /// <summary>Kills every worker, idle or serving a run.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        while (_starts.TryDequeue(out var start))
        {
            try
            {
                (await start.ConfigureAwait(false)).Kill();
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or WorkerLostException)
            {
                // Never started; nothing to kill.
            }
        }
        foreach (var worker in _live.Keys) worker.Kill();
        _live.Clear();
        await Task.WhenAll(_terminations.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Forget(WorkerProcess worker) => _live.TryRemove(worker, out _);

    private void StartOne()
    {
        if (Volatile.Read(ref _disposed) == 0) _starts.Enqueue(StartTask());
    }

    private Task<WorkerProcess> StartTask() => Task.Run(() => StartWorkerAsync(_stopping.Token));

    private async Task<WorkerProcess> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var worker = await WorkerProcess.StartAsync(_launch, _options.WorkerStartTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        _live[worker] = 0;
        try
        {
            var warmUp = await worker.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Run, Image = ImageRef.OneShot(WarmUpImage.Value) }, null, _options.WorkerStartTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (warmUp.Status != WorkerProtocol.Statuses.Ok)
                throw new InvalidOperationException($"The sandbox worker failed its warm-up snippet: {warmUp.Status} {warmUp.Error}");
        }
        catch (WorkerLostException ex)
        {
            Forget(worker);
            throw new InvalidOperationException($"The sandbox worker died during its warm-up: {ex.Message}", ex);
        }
        catch
        {
            Retire(worker, "its warm-up failed");
            throw;
        }
        SandboxLog.WorkerReady(_logger, worker.ProcessId, watch.Elapsed.TotalMilliseconds, _launch.Description);
        return worker;
    }
}
