using AgentKit.Core.Actions;
using AgentKit.Fuzzing;
using AgentKit.Models.Gguf;
using AgentKit.Server;
using AgentKit.Training.Tokenization;

namespace AgentKit.Tools.Dogfood;

/// <summary>Progress of a dogfood run: which target is running and its live figures.</summary>
/// <param name="Target">The target being fuzzed.</param>
/// <param name="Index">Its position (0-based) among <paramref name="Count"/> targets.</param>
/// <param name="Count">Targets in this run.</param>
/// <param name="Campaign">The campaign's live figures (null while it is being prepared).</param>
public sealed record DogfoodProgress(string Target, int Index, int Count, FuzzProgress? Campaign);

/// <summary>
/// Fuzzes AgentKit's own parsers with its own engine: the parser assemblies (Models, Core, Training, Server) are
/// instrumented once, together; then each target gets a builtin-engine campaign of its own, started from the seeds of
/// <see cref="DogfoodSeeds"/>, in <c>OutputDirectory/&lt;target&gt;</c>. Reusing the folder resumes every campaign.
/// </summary>
public static class DogfoodCampaign
{
    // The engine and runner are the fuzzer, not the target: the worker brings its own SharpFuzz.Common.
    private static readonly IReadOnlySet<string> NotCopied = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "AgentKit.Fuzzing", "AgentKit.Tools.FuzzRunner", "SharpFuzz", "SharpFuzz.Common",
    };

    /// <summary>The parser assemblies, instrumented, and what they and the harnesses need at run time.</summary>
    public static FuzzTarget Target()
    {
        string[] parsers =
        [
            typeof(GgufReader).Assembly.Location, typeof(ActionParser).Assembly.Location,
            typeof(TokenizerLoader).Assembly.Location, typeof(ServerOptions).Assembly.Location,
        ];
        var instrumented = parsers.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var dependencies = AssemblyClosure.Of(typeof(DogfoodCampaign).Assembly.Location, NotCopied)
            .Where(path => !instrumented.Contains(Path.GetFileNameWithoutExtension(path)))
            .ToList();
        return new FuzzTarget(parsers, dependencies, "AgentKit parsers (dogfood)");
    }

    /// <summary>The harness of <paramref name="target"/>: every exception escaping it is a finding (it catches the documented rejections itself).</summary>
    public static FuzzHarness Harness(DogfoodTarget target) => FuzzHarness.Static(target.Harness, [], target.Tokens);

    /// <summary>Runs one campaign per selected target, one after the other.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">Instrumentation failed or a worker could not start (a setup problem, not a finding).</exception>
    public static async Task<DogfoodReport> RunAsync(DogfoodOptions options, IProgress<DogfoodProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var targets = options.SelectedTargets();
        var root = Path.GetFullPath(options.OutputDirectory);
        var cache = options.CacheDirectory ?? FuzzTarget.DefaultCacheDirectory;
        var fuzzTarget = Target();
        var rows = new List<DogfoodTargetReport>();
        for (var i = 0; i < targets.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var target = targets[i];
            var index = i;
            progress?.Report(new DogfoodProgress(target.Name, index, targets.Count, null));
            var harness = Harness(target);
            var directory = Path.Combine(root, target.Name);
            var instrumented = FuzzCampaign.Prepare(fuzzTarget, harness, directory, cache);
            var seeds = WriteSeeds(Path.Combine(directory, "seeds"), target.Seeds());
            var campaign = new FuzzCampaignOptions
            {
                OutputDirectory = directory,
                Duration = options.DurationPerTarget,
                Workers = options.Workers,
                ExecTimeout = options.ExecTimeout,
                MemoryLimitMb = options.MemoryLimitMb,
                Seed = options.Seed,
                SeedDirectory = Path.Combine(directory, "seeds"),
                // Mutants are cut at this length: leave the largest seed room to grow.
                MaxInputBytes = Math.Max(target.MaxInputBytes, seeds.Max(s => (int)new FileInfo(s).Length) + 1024),
            };
            var report = await FuzzCampaign.RunAsync(instrumented, harness, campaign,
                new Progress<FuzzProgress>(p => progress?.Report(new DogfoodProgress(target.Name, index, targets.Count, p))), cancellationToken).ConfigureAwait(false);
            int? seedEdges = options.MeasureSeedEdges ? CorpusCoverage.CountEdges(directory, seeds, options.ExecTimeout) : null;
            rows.Add(new DogfoodTargetReport(target.Name, target.Parser, report.Execs, report.ExecsPerSecond, report.Edges, seedEdges, report.Corpus,
                report.Crashes, report.Hangs, report.Seconds, directory));
        }
        return new DogfoodReport(rows, options.DurationPerTarget.TotalSeconds, options.Workers, root);
    }

    private static List<string> WriteSeeds(string folder, IReadOnlyList<byte[]> seeds)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        for (var i = 0; i < seeds.Count; i++)
        {
            var file = Path.Combine(folder, $"seed-{i + 1}");
            File.WriteAllBytes(file, seeds[i]);
            files.Add(file);
        }
        return files;
    }
}
