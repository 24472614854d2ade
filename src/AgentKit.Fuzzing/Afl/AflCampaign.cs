using System.Diagnostics;
using System.Globalization;
using AgentKit.Fuzzing.Engine;

namespace AgentKit.Fuzzing.Afl;

/// <summary>
/// The peer: afl-fuzz (the Debian <c>afl++</c> package) driving the same runner through SharpFuzz's AFL harness.
/// Our corpus (and seeds) become afl's input folder, and afl's queue is imported back into <c>corpus/</c> afterwards,
/// which is the same exchange afl's sync directories do between instances.
/// </summary>
public static class AflCampaign
{
    /// <summary>Path of afl-fuzz on PATH, or null when afl++ is not installed.</summary>
    public static string? FindAflFuzz() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(d => Path.Combine(d, "afl-fuzz")).FirstOrDefault(File.Exists);

    /// <summary>Runs afl-fuzz for <see cref="FuzzCampaignOptions.Duration"/> on a prepared campaign directory (one afl instance).</summary>
    /// <exception cref="InvalidOperationException">afl-fuzz is missing or exits without producing stats.</exception>
    public static async Task<FuzzReport> RunAsync(FuzzCampaignOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var afl = FindAflFuzz() ?? throw new InvalidOperationException("afl-fuzz not found on PATH: install the Debian package afl++ (apt-get install afl++)");
        var directory = new CampaignDirectory(options.OutputDirectory);
        var runner = options.RunnerPath ?? FuzzCampaign.DefaultRunnerPath;
        var input = Path.Combine(directory.Root, "afl", "in");
        var output = Path.Combine(directory.Root, "afl", "out");
        Directory.CreateDirectory(input);
        foreach (var seed in directory.ReadCorpus().Concat(options.SeedDirectory is null ? [] : Directory.EnumerateFiles(options.SeedDirectory).Select(File.ReadAllBytes)))
            File.WriteAllBytes(Path.Combine(input, CampaignDirectory.Hash(seed)), seed);
        if (!Directory.EnumerateFiles(input).Any())
            File.WriteAllText(Path.Combine(input, "seed"), "a");

        var start = new ProcessStartInfo(afl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-i", input, "-o", output, "-t", ((int)options.ExecTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                     "-m", "none", "-V", ((int)Math.Ceiling(options.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "--", "dotnet", runner, "afl", directory.ManifestPath })
            start.ArgumentList.Add(arg);
        // .NET targets are not afl-compiled binaries, and CI machines lack core_pattern/cpufreq tuning.
        start.Environment["AFL_SKIP_BIN_CHECK"] = "1";
        start.Environment["AFL_NO_UI"] = "1";
        start.Environment["AFL_SKIP_CPUFREQ"] = "1";
        start.Environment["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1";
        start.Environment["AFL_NO_AFFINITY"] = "1";
        start.Environment["AFL_AUTORESUME"] = "1";
        start.Environment["DOTNET_GCHeapHardLimit"] = ((long)options.MemoryLimitMb * 1024 * 1024).ToString("X");
        var clock = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start afl-fuzz");
        var log = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(options.Duration + TimeSpan.FromSeconds(60), cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var stats = Path.Combine(output, "default", "fuzzer_stats");
        if (!File.Exists(stats))
        {
            var tail = string.Join('\n', ((await log) + (await errors)).Split('\n').TakeLast(15));
            throw new InvalidOperationException($"afl-fuzz exited with code {process.ExitCode} before writing stats:\n{tail}");
        }
        var values = File.ReadAllLines(stats).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        long Number(string key) => values.TryGetValue(key, out var v) && long.TryParse(v.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

        // Export afl's finds into our corpus, so a later builtin session resumes from both.
        var queue = Path.Combine(output, "default", "queue");
        if (Directory.Exists(queue))
            foreach (var file in Directory.EnumerateFiles(queue))
                directory.SaveCorpus(File.ReadAllBytes(file));
        var crashDir = Path.Combine(output, "default", "crashes");
        var crashes = Directory.Exists(crashDir)
            ? Directory.EnumerateFiles(crashDir, "id:*").Order(StringComparer.Ordinal)
                .Select(f => new FuzzCrash(Path.GetFileName(f), "afl-crash", f, "afl:" + Path.GetFileName(f).Split(',')[0])).ToList()
            : [];
        var execs = Number("execs_done");
        var report = new FuzzReport
        {
            Engine = "afl",
            Execs = execs,
            ExecsPerSecond = Math.Round(execs / Math.Max(seconds, 1e-9), 1),
            Edges = (int)Number("edges_found"),
            Corpus = (int)Number("corpus_count"),
            Crashes = crashes,
            Hangs = (int)Number("saved_hangs"),
            Seconds = Math.Round(seconds, 2),
            FirstCrashSeconds = crashes.Count > 0 ? Math.Round((File.GetLastWriteTimeUtc(crashes[0].File) - startedUtc).TotalSeconds, 2) : null,
            Workers = 1,
            TotalExecs = execs,
            OutputDirectory = directory.Root,
        };
        return report;
    }
}
