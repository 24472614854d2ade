using System.Globalization;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Instrumentation;
using AgentKit.Fuzzing.LanguageModel;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing;

/// <summary>
/// The builtin coverage-guided engine. One thread per worker process: pick a corpus entry by energy, derive mutants,
/// run each in the worker, keep inputs that add coverage, save and deduplicate findings, replace dead workers. In
/// <see cref="FuzzMode.InProcess"/> the worker runs that loop itself and the thread collects its finds.
/// </summary>
public static class FuzzCampaign
{
    /// <summary>Instruments <paramref name="target"/> (cached) and writes the campaign's <c>target.json</c>; returns the instrumented target.</summary>
    public static InstrumentedTarget Prepare(FuzzTarget target, FuzzHarness harness, string outputDirectory, string cacheDirectory)
    {
        var instrumented = AssemblyInstrumenter.Instrument(target.Assemblies, target.Dependencies, cacheDirectory);
        var directory = new CampaignDirectory(outputDirectory);
        new TargetManifest(instrumented.Directory, instrumented.Assemblies, harness.Spec).Save(directory.ManifestPath);
        return instrumented;
    }

    /// <summary>Runs a campaign on a prepared directory (see <see cref="Prepare"/>) for <see cref="FuzzCampaignOptions.Duration"/>.</summary>
    public static Task<FuzzReport> RunAsync(InstrumentedTarget target, FuzzHarness harness, FuzzCampaignOptions options,
        IProgress<FuzzProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var run = new CampaignRun(target, harness, options, progress);
        return Task.Factory.StartNew(() => run.Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Default location of the runner executable: <c>fuzz-runner/</c> in the app's folder, where the AgentKit.Fuzzing
    /// package and a project reference put it; else beside this assembly (an app that references the runner itself).
    /// </summary>
    public static string DefaultRunnerPath
    {
        get
        {
            var packaged = Path.Combine(AppContext.BaseDirectory, "fuzz-runner", RunnerFileName);
            return File.Exists(packaged) ? packaged : Path.Combine(AppContext.BaseDirectory, RunnerFileName);
        }
    }

    private const string RunnerFileName = "AgentKit.Tools.FuzzRunner.dll";
}

/// <summary>One session of a campaign: shared state behind a lock, one thread per worker.</summary>
internal sealed class CampaignRun : ILmHost
{
    private const int MaxSavedHangs = 100;
    private static readonly TimeSpan LmStopWait = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly InstrumentedTarget _target;
    private readonly FuzzCampaignOptions _options;
    private readonly IProgress<FuzzProgress>? _progress;
    private readonly CampaignDirectory _directory;
    private readonly CoverageMap _coverage = new();
    private readonly Corpus _corpus = new();
    private readonly Queue<byte[]> _pending = new();
    // In-process mode: every corpus entry with its hits, in the order kept; each worker is sent the ones it has not seen.
    private readonly List<(byte[] Data, (ushort Index, byte Count)[] Hits)> _shared = [];
    private readonly HashSet<string> _savedCorpus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FuzzCrash> _crashes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hangHashes = new(StringComparer.Ordinal);
    private readonly AflSyncDirectory? _sync;
    private readonly HashSet<string> _fromOthers = new(StringComparer.Ordinal);
    private int _syncImported;
    private long _lastSync;
    private readonly List<ProgressSample> _samples = [];
    private readonly IReadOnlyList<byte[]> _dictionary;
    private readonly WorkerLaunch _launch;
    private readonly TimeProvider _time;
    private readonly long _previousExecs;
    private long _start;
    private long _execs;
    private long _targetTicks; // in-process slices' time inside the target, TimeSpan ticks
    private int _hangs;
    private double? _firstCrash;
    private volatile bool _stop;
    private Exception? _fatal;
    private long _execsAtLastGain;
    // Model-written inputs queued and not yet run (by hash), and those that added coverage, for the LM round to check.
    private readonly HashSet<string> _lmQueued = new(StringComparer.Ordinal);
    private volatile int _lmOutstanding;
    private readonly List<byte[]> _lmKept = [];
    private readonly LmSeeder? _lm;

    public CampaignRun(InstrumentedTarget target, FuzzHarness harness, FuzzCampaignOptions options, IProgress<FuzzProgress>? progress)
    {
        _target = target;
        _options = options;
        _progress = progress;
        _time = options.TimeProvider;
        _directory = new CampaignDirectory(options.OutputDirectory);
        if (!File.Exists(_directory.ManifestPath))
            throw new InvalidOperationException($"{_directory.ManifestPath} is missing: call FuzzCampaign.Prepare first");
        var runner = options.RunnerPath ?? FuzzCampaign.DefaultRunnerPath;
        if (!File.Exists(runner))
            throw new InvalidOperationException($"fuzz runner not found at {runner}; build tools/AgentKit.Tools.FuzzRunner or set RunnerPath");
        _launch = new WorkerLaunch(runner, _directory.ManifestPath, options.MemoryLimitMb, options.StartupTimeout);
        // Harness tokens first, then the user's, then the target's own string literals (what its parser compares against).
        _dictionary = Mutator.Tokens(harness.Tokens.Concat(options.Dictionary).Concat(target.Literals.Take(256)));
        _previousExecs = _directory.PreviousExecs();

        // Resume: earlier corpus and findings come back; the corpus is re-run so the coverage map is rebuilt.
        foreach (var input in _directory.ReadCorpus())
        {
            _savedCorpus.Add(CampaignDirectory.Hash(input));
            _pending.Enqueue(input);
        }
        if (options.SeedDirectory is not null)
            foreach (var file in Directory.EnumerateFiles(options.SeedDirectory).Order(StringComparer.Ordinal))
                _pending.Enqueue(File.ReadAllBytes(file));
        if (_pending.Count == 0)
        {
            _pending.Enqueue([]);
            _pending.Enqueue("a"u8.ToArray());
            foreach (var token in _dictionary.Take(32))
                _pending.Enqueue(token);
        }
        if (options.SyncDirectory is not null)
        {
            _sync = new AflSyncDirectory(options.SyncDirectory, options.InstanceName);
            ImportFromOthers(); // like AFL_IMPORT_FIRST: the others' finds are worth running before our own mutants
        }
        foreach (var crash in _directory.ReadCrashes())
            _crashes.TryAdd(crash.Signature, new FuzzCrash(crash.Id, crash.Kind, Path.Combine(_directory.CrashesDir, crash.Id), crash.Signature));
        _hangs = _directory.CountHangs();
        if (options.LanguageModel is { } lm)
            _lm = new LmSeeder(lm, this, _directory.ManifestPath, options);
    }

    private double Elapsed => _time.GetElapsedTime(_start).TotalSeconds;

    public FuzzReport Run(CancellationToken cancellationToken)
    {
        _start = _time.GetTimestamp();
        var seed = _options.Seed ?? Environment.TickCount;
        var threads = Enumerable.Range(0, _options.Workers)
            .Select(i => new Thread(() => WorkerLoop(seed + i * 7919)) { IsBackground = true, Name = $"fuzz-worker-{i}" })
            .ToList();
        threads.ForEach(t => t.Start());
        using var lmStop = new CancellationTokenSource();
        var lmRounds = _lm is null ? Task.CompletedTask : Task.Factory.StartNew(() => _lm.RunAsync(lmStop.Token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        var end = _options.Duration;
        while (!_stop)
        {
            Thread.Sleep(200);
            if (cancellationToken.IsCancellationRequested || _time.GetElapsedTime(_start) >= end || _fatal is not null)
                _stop = true;
            Sample(force: false);
            if (_sync is not null && _time.GetElapsedTime(_lastSync) >= _options.SyncInterval)
                ImportFromOthers();
        }
        lmStop.Cancel();
        threads.ForEach(t => t.Join());
        // The model call is cancelled at once, but building questions (the decompiler's first use on a busy machine) is
        // not: past this wait the report goes out with the counts so far, and the round cleans up after itself.
        _ = lmRounds.Wait(LmStopWait);
        if (_fatal is not null)
            throw new InvalidOperationException(_fatal.Message, _fatal);
        Sample(force: true);
        return Finish();
    }

    private void WorkerLoop(int seed)
    {
        var random = new Random(seed);
        var mutator = new Mutator(random, _dictionary, _options.MaxInputBytes);
        WorkerProcess? worker = null;
        var feed = _options.Mode == FuzzMode.InProcess ? new WorkerFeed(new InFlightInput(_options.MaxInputBytes)) : null;
        try
        {
            worker = new WorkerProcess(_launch, _time);
            while (!_stop)
            {
                byte[]? next;
                CorpusEntry? parent = null;
                var mutants = 0;
                lock (_gate)
                {
                    if (!_pending.TryDequeue(out next) && _corpus.Count > 0)
                    {
                        parent = _corpus.Pick(random);
                        mutants = _corpus.Mutants(parent); // under the lock: the energy reads the corpus's mean length
                    }
                }

                if (next is not null)
                {
                    worker = RunOne(worker, next, random);
                    continue;
                }
                if (parent is null)
                {
                    Thread.Sleep(5); // other workers are still running the seeds
                    continue;
                }

                if (feed is not null)
                {
                    worker = RunSlice(worker, feed, random);
                    continue;
                }

                var batch = new List<byte[]>(_options.BatchSize);
                for (var done = 0; done < mutants && !_stop; done += batch.Count)
                {
                    batch.Clear();
                    for (var i = 0; i < Math.Min(_options.BatchSize, mutants - done); i++)
                        batch.Add(mutator.Mutate(parent.Data, () =>
                        {
                            lock (_gate)
                                return _corpus.Count > 1 ? _corpus.Entries[random.Next(_corpus.Count)].Data : null;
                        }));
                    worker = RunBatch(worker, batch, random);
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            // A worker that cannot start is a setup problem (missing type, bad target): stop and say why.
            _fatal ??= ex;
            _stop = true;
        }
        finally
        {
            worker?.Dispose();
            feed?.InFlight.Dispose();
        }
    }

    /// <summary>The worker a thread last set up for in-process fuzzing, and how many shared corpus entries it has been sent.</summary>
    private sealed class WorkerFeed(InFlightInput inFlight)
    {
        public InFlightInput InFlight { get; } = inFlight;
        public InProcessSetupGuard Setup { get; } = new();
        public WorkerProcess? Worker { get; set; }
        public int Sent { get; set; }
    }

    /// <summary>One in-process slice: set a new worker up, send it the corpus entries it lacks, then handle what it found.</summary>
    private WorkerProcess RunSlice(WorkerProcess worker, WorkerFeed feed, Random random)
    {
        if (!ReferenceEquals(worker, feed.Worker))
        {
            // A new seed for every worker process: a replacement must not replay the mutants that killed the last one.
            worker.StartFuzzing(random.Next(), _options.MaxInputBytes, feed.InFlight, _dictionary);
            (feed.Worker, feed.Sent) = (worker, 0);
        }
        List<(byte[], (ushort, byte)[])> entries;
        lock (_gate)
        {
            entries = _shared.GetRange(feed.Sent, _shared.Count - feed.Sent);
            feed.Sent = _shared.Count;
        }
        var slice = worker.FuzzSlice(_options.SliceLength, entries, _options.ExecTimeout, feed.InFlight);
        Interlocked.Add(ref _execs, slice.Execs);
        Interlocked.Add(ref _targetTicks, slice.TargetTime.Ticks);
        feed.Setup.Check(slice); // throws, stopping the campaign with the reason, when workers keep failing to start
        if (slice.Ended is { } ended)
        {
            // First the death or hang (which replaces the worker), then the finds, whose crashes are minimised in the new one.
            if (slice.EndedInput is { } culprit)
                worker = Handle(worker, culprit, ended);
            else
            {
                worker.Dispose();
                worker = new WorkerProcess(_launch, _time);
            }
        }
        foreach (var (input, result) in slice.Found)
            worker = Handle(worker, input, result);
        return worker;
    }

    private WorkerProcess RunBatch(WorkerProcess worker, List<byte[]> batch, Random random)
    {
        var at = 0;
        while (at < batch.Count && !_stop)
        {
            if (batch.Count - at == 1)
                return RunOne(worker, batch[at], random);
            var results = worker.ExecuteBatch(at == 0 ? batch : batch.GetRange(at, batch.Count - at), _options.ExecTimeout);
            Interlocked.Add(ref _execs, results.Count);
            // Handle may replace the worker (a death, a hang, minimising a crash): the rest of the batch goes to the new one.
            for (var i = 0; i < results.Count; i++)
                worker = Handle(worker, batch[at + i], results[i]);
            at += results.Count;
        }
        return worker;
    }

    private WorkerProcess RunOne(WorkerProcess worker, byte[] input, Random random)
    {
        var result = worker.Execute(input, _options.ExecTimeout);
        Interlocked.Increment(ref _execs);
        return Handle(worker, input, result);
    }

    private WorkerProcess Handle(WorkerProcess worker, byte[] input, ExecResult result)
    {
        // The hash is only worth computing while model-written inputs wait to run.
        var fromLm = _lmOutstanding > 0 && TakeLmInput(input);
        switch (result.Kind)
        {
            case ExecKind.Ok:
                lock (_gate)
                    KeepCounted(input, result, fromLm);
                return worker;
            case ExecKind.Crash:
            {
                lock (_gate)
                    KeepCounted(input, result, fromLm);
                var signature = CrashSignature.ForException(result.ExceptionType!, result.StackTrace ?? "");
                if (IsKnown(signature))
                    return worker;
                var (minimized, replacement) = Minimize(worker, input, signature);
                Record(input, minimized, CrashSignature.KindOf(result.ExceptionType!), signature, result);
                return replacement;
            }
            case ExecKind.Died:
            {
                if (fromLm)
                    _lm!.Tally.Tried(addedCoverage: false);
                var (kind, signature) = CrashSignature.ForDeath(result.ExitCode, result.Stderr ?? "");
                if (!IsKnown(signature))
                    Record(input, input, kind, signature, result);
                worker.Dispose();
                return new WorkerProcess(_launch, _time);
            }
            default: // hang
            {
                if (fromLm)
                    _lm!.Tally.Tried(addedCoverage: false);
                var hash = CampaignDirectory.Hash(input);
                lock (_gate)
                {
                    if (_hangHashes.Add(hash) && _hangs < MaxSavedHangs)
                    {
                        _directory.SaveHang(input);
                        _hangs++;
                    }
                }
                worker.Dispose();
                return new WorkerProcess(_launch, _time);
            }
        }
    }

    /// <summary><see cref="Keep"/>, counting a model-written input's outcome. Called under the lock.</summary>
    private void KeepCounted(byte[] input, ExecResult result, bool fromLm)
    {
        var added = Keep(input, result);
        if (!fromLm)
            return;
        _lm!.Tally.Tried(added);
        if (added)
            _lmKept.Add(input);
    }

    /// <summary>Merges the input's coverage and keeps it when it added some; returns whether it did. Called under the lock.</summary>
    private bool Keep(byte[] input, ExecResult result)
    {
        var added = _coverage.Merge(result.Hits);
        if (added > 0)
            _execsAtLastGain = Interlocked.Read(ref _execs);
        // A resumed corpus entry stays even when its edges were already covered by an entry replayed before it:
        // replay order is not discovery order, and resuming must not shrink the corpus.
        // The set empties as the saved entries come back, so mutants stop paying for the hash soon after a resume.
        var resumed = _savedCorpus.Count > 0 && _savedCorpus.Remove(CampaignDirectory.Hash(input));
        if ((added > 0 || resumed) && _corpus.Add(new CorpusEntry(input, result.Hits.Length, added, Elapsed)))
        {
            _directory.SaveCorpus(input);
            if (_options.Mode == FuzzMode.InProcess)
                _shared.Add((input, result.Hits));
            // Inputs that came from the other instances are theirs already: only our own finds go back.
            if (_sync is not null && !_fromOthers.Contains(CampaignDirectory.Hash(input)))
                _sync.Export(input, Elapsed);
        }
        return added > 0;
    }

    private bool TakeLmInput(byte[] input)
    {
        lock (_gate)
        {
            if (!_lmQueued.Remove(CampaignDirectory.Hash(input)))
                return false;
            _lmOutstanding = _lmQueued.Count;
            return true;
        }
    }

    double ILmHost.Elapsed => Elapsed;

    long ILmHost.Execs => Interlocked.Read(ref _execs);

    long ILmHost.ExecsAtLastGain
    {
        get
        {
            lock (_gate)
                return _execsAtLastGain;
        }
    }

    int ILmHost.LmOutstanding => _lmOutstanding;

    bool ILmHost.SeedsPending
    {
        get
        {
            lock (_gate)
                return _pending.Count > _lmOutstanding; // LM inputs queue there too
        }
    }

    List<byte[]> ILmHost.CorpusSnapshot()
    {
        lock (_gate)
            return _corpus.Entries.Select(e => e.Data).ToList();
    }

    void ILmHost.Offer(IReadOnlyList<byte[]> inputs, FrontierQuestioner twin)
    {
        // The workers run them (with minimisation and the real coverage map); the twin only tells what they opened.
        lock (_gate)
        {
            foreach (var input in inputs)
                if (_lmQueued.Add(CampaignDirectory.Hash(input)))
                    _pending.Enqueue(input);
            _lmOutstanding = _lmQueued.Count;
        }
    }

    List<byte[]> ILmHost.TakeLmKept()
    {
        lock (_gate)
        {
            var kept = _lmKept.ToList();
            _lmKept.Clear();
            return kept;
        }
    }

    /// <summary>Queues the inputs other instances added to the sync directory since the last look (once each); they run like seeds.</summary>
    private void ImportFromOthers()
    {
        _lastSync = _time.GetTimestamp();
        var found = _sync!.ImportNew(); // file reads outside the lock: ImportNew shares no state with Export
        lock (_gate)
        {
            foreach (var (_, data) in found)
            {
                var hash = CampaignDirectory.Hash(data);
                if (_sync.HasExported(hash) || !_fromOthers.Add(hash))
                    continue; // our own finds, synced back to us by afl, or an input another instance also has
                _pending.Enqueue(data);
                _syncImported++;
            }
        }
    }

    private bool IsKnown(string signature)
    {
        lock (_gate)
            return _crashes.ContainsKey(signature);
    }

    private void Record(byte[] original, byte[] minimized, string kind, string signature, ExecResult result)
    {
        lock (_gate)
        {
            if (_crashes.ContainsKey(signature))
                return;
            var id = $"crash-{_crashes.Count + 1:D4}-{CampaignDirectory.Hash(minimized)[..8]}";
            var found = Math.Round(Elapsed, 3);
            var file = _directory.SaveCrash(id, minimized, new CrashRecord(id, kind, signature, result.ExceptionType, result.Message,
                result.StackTrace ?? result.Stderr, result.ExitCode, original.Length, minimized.Length, found));
            _crashes[signature] = new FuzzCrash(id, kind, file, signature);
            _firstCrash ??= found;
            if (_crashes.Count >= _options.StopAfterCrashes)
                _stop = true;
        }
    }

    /// <summary>Shrinks a crashing input while it keeps the same signature: chunk removal, halving the chunk each round.</summary>
    private (byte[] Input, WorkerProcess Worker) Minimize(WorkerProcess worker, byte[] input, string signature)
    {
        var best = input;
        var budget = _options.MinimizeBudget;
        for (var chunk = Math.Max(1, best.Length / 2); chunk >= 1 && budget > 0 && !_stop; chunk /= 2)
        {
            for (var at = 0; at < best.Length && budget > 0; )
            {
                var candidate = best.AsSpan(0, at).ToArray().Concat(best.AsSpan(Math.Min(best.Length, at + chunk)).ToArray()).ToArray();
                budget--;
                var result = worker.Execute(candidate, _options.ExecTimeout);
                Interlocked.Increment(ref _execs);
                if (result.Kind is ExecKind.Died or ExecKind.Hang)
                {
                    worker.Dispose();
                    worker = new WorkerProcess(_launch, _time);
                }
                if (result.Kind == ExecKind.Crash && CrashSignature.ForException(result.ExceptionType!, result.StackTrace ?? "") == signature)
                    best = candidate;
                else
                    at += chunk;
            }
            if (chunk == 1)
                break;
        }
        return (best, worker);
    }

    private long _lastSample;

    private void Sample(bool force)
    {
        var now = _time.GetTimestamp();
        if (!force && _samples.Count > 0 && (now - _lastSample) < _time.TimestampFrequency)
            return;
        _lastSample = now;
        FuzzProgress snapshot;
        lock (_gate)
        {
            var elapsed = Elapsed;
            var execs = Interlocked.Read(ref _execs);
            _samples.Add(new ProgressSample(elapsed, execs, _coverage.Edges, _corpus.Count, _crashes.Count));
            snapshot = new FuzzProgress(TimeSpan.FromSeconds(elapsed), execs, elapsed > 0 ? execs / elapsed : 0, _coverage.Edges, _corpus.Count, _crashes.Count, _hangs);
        }
        _progress?.Report(snapshot);
    }

    private FuzzReport Finish()
    {
        var elapsed = Elapsed;
        var execs = Interlocked.Read(ref _execs);
        EdgesPlot.WriteCsv(_directory.PlotDataPath, _samples);
        string? plot = _directory.PlotPath;
        try
        {
            EdgesPlot.WritePng(plot, _samples, $"edges over time ({Path.GetFileName(_directory.Root)}, builtin, {_options.Workers} workers)");
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or IOException)
        {
            plot = null; // no native drawing library: the CSV still has the data
        }

        var report = new FuzzReport
        {
            Engine = "builtin",
            Execs = execs,
            ExecsPerSecond = Math.Round(execs / Math.Max(elapsed, 1e-9), 1),
            Edges = _coverage.Edges,
            // Saved entries a short resumed session did not get to replay are still the campaign's corpus (on disk).
            Corpus = _corpus.Count + _savedCorpus.Count,
            Crashes = _crashes.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList(),
            Hangs = _hangs,
            Seconds = Math.Round(elapsed, 2),
            FirstCrashSeconds = _firstCrash,
            Workers = _options.Workers,
            TotalExecs = _previousExecs + execs,
            OutputDirectory = _directory.Root,
            PlotFile = plot,
            SyncImported = _sync is null ? null : _syncImported,
            SyncExported = _sync?.Exported,
            TargetSeconds = _options.Mode == FuzzMode.InProcess ? Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _targetTicks)).TotalSeconds, 2) : null,
            Lm = _lm?.Tally.Report(_options.LanguageModel!.ModelName ?? _options.LanguageModel.Generator.Model.Name, elapsed),
        };
        File.WriteAllText(_directory.StatsPath, System.Text.Json.JsonSerializer.Serialize(report, CampaignDirectory.Json));
        _ = CultureInfo.InvariantCulture;
        return report;
    }
}
