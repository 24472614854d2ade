using System.Diagnostics;
using System.Globalization;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Instrumentation;
using AgentKit.Fuzzing.LanguageModel;

namespace AgentKit.Fuzzing.Afl;

/// <summary>
/// The peer: afl-fuzz (the Debian <c>afl++</c> package) driving the same instrumented target through the runner's
/// SharpFuzz harness (<c>Fuzzer.OutOfProcess.Run</c>). One afl instance per worker: <c>-M main</c> plus <c>-S wN</c>, the
/// way teams scale afl across cores. Our corpus and seeds are afl's input folder, and <c>corpus/</c> is also afl's
/// foreign sync directory (<c>-F</c>), so a builtin campaign writing into it feeds afl while both run. Afterwards afl's
/// queue, hangs and (replayed, deduplicated) crashes come back into the campaign directory, in the same shape as ours.
/// With <see cref="FuzzCampaignOptions.SyncDirectory"/> the instances run in that shared <c>-o</c> as
/// <c>-M NAME</c> and <c>-S NAME-wN</c>, syncing with every other afl instance and builtin engine there.
/// With <see cref="FuzzCampaignOptions.LanguageModel"/> an <see cref="LmSeeder"/> runs beside afl (<see cref="AflLmRun"/>):
/// the model's inputs that add coverage on the block-mode twin go into <c>corpus/</c>, which afl's main instance imports.
/// </summary>
public static class AflCampaign
{
    /// <summary>Path of afl-fuzz on PATH, or null when afl++ is not installed.</summary>
    public static string? FindAflFuzz() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "afl-fuzz")).FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs afl-fuzz for <see cref="FuzzCampaignOptions.Duration"/> on a directory prepared by <see cref="FuzzCampaign.Prepare"/>.
    /// Cancelling ends the session early like the built-in engine's: the instances stop and what they found is still
    /// imported and reported (the next session would otherwise delete afl's folder with it).
    /// </summary>
    /// <exception cref="InvalidOperationException">afl-fuzz is missing, or it exits without producing stats (its output tail says why).</exception>
    public static async Task<FuzzReport> RunAsync(InstrumentedTarget target, FuzzHarness harness, FuzzCampaignOptions options,
        IProgress<FuzzProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(harness);
        options.Validate();
        var afl = FindAflFuzz() ?? throw new InvalidOperationException("afl-fuzz not found on PATH: install the Debian package afl++ (apt-get install afl++)");
        var directory = new CampaignDirectory(options.OutputDirectory);
        if (!File.Exists(directory.ManifestPath))
            throw new InvalidOperationException($"{directory.ManifestPath} is missing: call FuzzCampaign.Prepare first");
        var runner = options.RunnerPath ?? FuzzCampaign.DefaultRunnerPath;
        if (!File.Exists(runner))
            throw new InvalidOperationException($"fuzz runner not found at {runner}; build tools/AgentKit.Tools.FuzzRunner or set RunnerPath");
        var launch = new WorkerLaunch(runner, directory.ManifestPath, options.MemoryLimitMb, options.StartupTimeout);
        var previousExecs = directory.PreviousExecs();

        // Each session starts afl afresh from our corpus: corpus/ is the campaign's memory, whichever engine ran before.
        var root = Path.Combine(directory.Root, "afl");
        var input = Path.Combine(root, "in");
        // With a sync directory the instances live there beside the other machines' and engines' (and resume there).
        var output = options.SyncDirectory is { } sync ? Path.GetFullPath(sync) : Path.Combine(root, "out");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(input);
        Directory.CreateDirectory(output);
        foreach (var seed in directory.ReadCorpus().Concat(options.SeedDirectory is null ? [] : Directory.EnumerateFiles(options.SeedDirectory).Select(File.ReadAllBytes)))
            if (seed.Length > 0) // afl refuses empty inputs
                File.WriteAllBytes(Path.Combine(input, CampaignDirectory.Hash(seed)), seed);
        if (!Directory.EnumerateFiles(input).Any())
            File.WriteAllText(Path.Combine(input, "seed"), "a");
        var dictionary = Path.Combine(root, "tokens.dict");
        var tokens = AflDictionary.Write(dictionary, Mutator.Tokens(harness.Tokens.Concat(options.Dictionary).Concat(target.Literals.Take(256))));

        var main = options.SyncDirectory is null ? "main" : options.InstanceName;
        var names = Enumerable.Range(0, options.Workers).Select(i => i == 0 ? main : options.SyncDirectory is null ? $"w{i}" : $"{main}-w{i}").ToList();
        var instanceDirs = names.Select(n => Path.Combine(output, n)).ToList();
        var clock = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        var instances = names.Select((name, i) => Start(afl, name, i, input, output, directory, runner, tokens > 0 ? dictionary : null, options)).ToList();
        var lm = options.LanguageModel is null ? null : new AflLmRun(options.LanguageModel, directory, instanceDirs, options);
        try
        {
            await Monitor(instances, instanceDirs, options, progress, clock, lm?.Host, cancellationToken);
        }
        finally
        {
            foreach (var instance in instances)
                instance.Stop();
            lm?.Stop();
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var stats = instanceDirs.Select(d => AflStats.TryRead(Path.Combine(d, "fuzzer_stats"))).ToList();
        if (stats.All(s => s is null))
            throw new InvalidOperationException($"afl-fuzz exited with code {instances[0].ExitCode} before writing stats:\n{instances[0].OutputTail()}");
        var live = stats.OfType<AflStats>().ToList();

        AflFindings.ImportQueue(directory, instanceDirs);
        AflFindings.ImportHangs(directory, instanceDirs);
        var (_, firstCrash, unreproduced) = AflFindings.ImportCrashes(directory, instanceDirs, launch, options, startedUtc);
        var crashes = directory.ReadCrashes().OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new FuzzCrash(c.Id, c.Kind, Path.Combine(directory.CrashesDir, c.Id), c.Signature)).ToList();

        var samples = AflStats.ReadPlot(Path.Combine(instanceDirs[0], "plot_data"));
        EdgesPlot.WriteCsv(directory.PlotDataPath, samples);
        string? plot = directory.PlotPath;
        try
        {
            EdgesPlot.WritePng(plot, samples, $"edges over time ({Path.GetFileName(directory.Root)}, afl++ main instance, {options.Workers} instance(s))");
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or IOException)
        {
            plot = null; // no native drawing library: the CSV still has the data
        }

        var execs = live.Sum(s => s.ExecsDone);
        var report = new FuzzReport
        {
            Engine = "afl",
            Execs = execs,
            ExecsPerSecond = Math.Round(execs / Math.Max(seconds, 1e-9), 1),
            // Instances sync their queues, so each one's map converges on the union: the best instance is the campaign's figure.
            Edges = live.Max(s => s.EdgesFound),
            Corpus = live.Max(s => s.CorpusCount),
            Crashes = crashes,
            Hangs = directory.CountHangs(),
            Seconds = Math.Round(seconds, 2),
            FirstCrashSeconds = Earliest(firstCrash, lm?.Host.FirstCrashSeconds) is { } f ? Math.Round(f, 3) : null,
            Workers = options.Workers,
            TotalExecs = previousExecs + execs,
            OutputDirectory = directory.Root,
            PlotFile = plot,
            UnreproducedCrashes = unreproduced,
            Lm = lm?.Report(seconds),
        };
        File.WriteAllText(directory.StatsPath, System.Text.Json.JsonSerializer.Serialize(report, CampaignDirectory.Json));
        return report;
    }

    private static double? Earliest(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static AflInstance Start(string afl, string name, int index, string input, string output, CampaignDirectory directory,
        string runner, string? dictionary, FuzzCampaignOptions options)
    {
        var start = new ProcessStartInfo(afl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var args = new List<string> { index == 0 ? "-M" : "-S", name, "-i", input, "-o", output };
        if (index == 0)
            args.AddRange(["-F", directory.CorpusDir]); // the sync-directory import of our corpus (only the main instance may have one)
        if (dictionary is not null)
            args.AddRange(["-x", dictionary]);
        if (options.Seed is { } seed)
            args.AddRange(["-s", (seed + index).ToString(CultureInfo.InvariantCulture)]);
        // A fixed timeout: afl's auto-scaling misreads .NET (GC pauses, child restarts after a death) as hangs.
        args.AddRange(["-t", ((int)options.ExecTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "-m", "none",
            "-V", ((int)Math.Ceiling(options.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            "--", "dotnet", runner, "afl", directory.ManifestPath]);
        args.ForEach(start.ArgumentList.Add);
        // .NET targets are not afl-compiled binaries, and CI machines lack core_pattern/cpufreq tuning.
        start.Environment["AFL_SKIP_BIN_CHECK"] = "1";
        start.Environment["AFL_NO_UI"] = "1";
        start.Environment["AFL_SKIP_CPUFREQ"] = "1";
        start.Environment["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1";
        start.Environment["AFL_NO_AFFINITY"] = "1";
        start.Environment["AFL_NO_CRASH_README"] = "1";
        start.Environment["AFL_IMPORT_FIRST"] = "1";
        // The fork server is a .NET process that loads and JIT-compiles the target before its first input; on a busy
        // machine that outlasts afl's default wait (ten exec timeouts), so allow a minute unless the user chose.
        if (Environment.GetEnvironmentVariable("AFL_FORKSRV_INIT_TMOUT") is null)
            start.Environment["AFL_FORKSRV_INIT_TMOUT"] = "60000";
        if (options.SyncDirectory is not null)
            start.Environment["AFL_AUTORESUME"] = "1"; // an instance folder left by an earlier session resumes instead of failing
        // Minutes between syncs (afl's default is 30; 1 is its least, and a main instance halves it): the other
        // instances' finds, and the LM's inputs in the -F folder, arrive within about 30 s.
        if (options.SyncDirectory is not null || options.LanguageModel is not null)
            start.Environment["AFL_SYNC_TIME"] = "1";
        if (options.StopAfterCrashes == 1)
            start.Environment["AFL_BENCH_UNTIL_CRASH"] = "1";
        start.Environment["DOTNET_GCHeapHardLimit"] = ((long)options.MemoryLimitMb * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        return new AflInstance(Process.Start(start) ?? throw new InvalidOperationException("could not start afl-fuzz"));
    }

    /// <summary>Waits for the instances to finish (afl's own <c>-V</c> limit), reporting progress and enforcing the stop rules.</summary>
    private static async Task Monitor(List<AflInstance> instances, List<string> instanceDirs, FuzzCampaignOptions options,
        IProgress<FuzzProgress>? progress, Stopwatch clock, AflLmHost? lm, CancellationToken cancellationToken)
    {
        // afl's -V counts fuzzing time, not its start-up (seed calibration): allow a margin before killing it.
        var hardLimit = options.Duration + TimeSpan.FromSeconds(60);
        while (instances.Any(i => !i.HasExited))
        {
            try
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var stats = instanceDirs.Select(d => AflStats.TryRead(Path.Combine(d, "fuzzer_stats"))).OfType<AflStats>().ToList();
            lm?.Observe(stats);
            var crashFiles = instanceDirs.Select(d => Path.Combine(d, "crashes")).Where(Directory.Exists).Sum(d => Directory.EnumerateFiles(d, "id:*").Count());
            if (progress is not null && stats.Count > 0)
            {
                var execs = stats.Sum(s => s.ExecsDone);
                progress.Report(new FuzzProgress(clock.Elapsed, execs, execs / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), stats.Max(s => s.EdgesFound),
                    stats.Max(s => s.CorpusCount), crashFiles, stats.Sum(s => s.SavedHangs)));
            }
            // afl stops itself after its first crash (AFL_BENCH_UNTIL_CRASH); its sibling instances must stop too.
            var enoughCrashes = options.StopAfterCrashes is { } stop && crashFiles >= stop;
            if (enoughCrashes || clock.Elapsed > hardLimit || instances.Any(i => i.HasExited && i.ExitCode != 0))
                break;
        }
    }

    private sealed class AflInstance
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        public AflInstance(Process process)
        {
            _process = process;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public bool HasExited => _process.HasExited;

        public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

        public string OutputTail()
        {
            var text = (_stdout.IsCompleted ? _stdout.Result : "") + (_stderr.IsCompleted ? _stderr.Result : "");
            return string.Join('\n', text.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(15));
        }

        public void Stop()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
                _process.WaitForExit(10_000);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
        }
    }
}
