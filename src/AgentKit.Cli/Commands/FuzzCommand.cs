// agentkit fuzz --target Markdig@0.31.0 --harness markdown --seconds 300 --out DIR [--engine builtin|afl] [--mode in-process|out-of-process] [--workers K] [--sync-dir SYNC --instance NAME] [--json]
//               [--lm MODEL.gguf|CHECKPOINT_DIR | --lm-endpoint URL --lm-model NAME] [--lm-every SECONDS] [--lm-questions N] [--lm-retries N] [--lm-opening N] [--lm-generate N] [--lm-temperature T]
// agentkit fuzz replay DIR/crashes/ID
using System.CommandLine;
using System.Globalization;
using AgentKit.Fuzzing;
using AgentKit.Fuzzing.Afl;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary><c>agentkit fuzz</c>: a coverage-guided campaign (builtin engine or afl++) against a .NET parser; <c>fuzz replay</c> re-runs one finding.</summary>
internal static class FuzzCommand
{
    /// <summary>The <c>--mode</c> option of <c>fuzz</c> and <c>bench fuzz</c>: where the builtin engine's fuzz loop runs.</summary>
    internal static Option<string> ModeOption()
    {
        var mode = new Option<string>("--mode")
        {
            Description = "builtin engine: in-process (default; each worker fuzzes on its own and sends only finds; crash and hang isolation by worker restart) or out-of-process (the engine mutates and sends every input to a worker).",
            DefaultValueFactory = _ => "in-process",
        };
        mode.AcceptOnlyFromAmong("out-of-process", "in-process");
        return mode;
    }

    /// <summary>The <see cref="FuzzMode"/> a <c>--mode</c> value names.</summary>
    internal static FuzzMode ParseMode(string? value) => value switch
    {
        null or "in-process" => FuzzMode.InProcess,
        "out-of-process" => FuzzMode.OutOfProcess,
        _ => throw new CliUsageException($"--mode must be in-process or out-of-process, got '{value}'."),
    };

    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "NuGet package Id@Version, or path(s) of local assemblies separated by ','.", Required = true };
        var harness = new Option<string>("--harness") { Description = $"Built-in adapter ({string.Join(", ", FuzzHarness.BuiltInNames)}) or Namespace.Type.Method of a static harness taking string or ReadOnlySpan<byte>.", Required = true };
        var seconds = new Option<int>("--seconds") { Description = "Campaign length in seconds.", DefaultValueFactory = _ => 60 };
        var output = new Option<string>("--out") { Description = "Campaign directory (reuse it to resume).", Required = true };
        var engine = new Option<string>("--engine") { Description = "builtin (default) or afl (afl++ through SharpFuzz).", DefaultValueFactory = _ => "builtin" };
        engine.AcceptOnlyFromAmong("builtin", "afl");
        var workers = new Option<int>("--workers") { Description = "Worker processes (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seeds = new Option<string?>("--seeds") { Description = "Folder of seed inputs." };
        var timeout = new Option<int>("--timeout-ms") { Description = "Time one input may take before it is a hang.", DefaultValueFactory = _ => 1000 };
        var stopAfter = new Option<int?>("--stop-after-crashes") { Description = "Stop once this many distinct crashes are found (1 measures time to first crash)." };
        var batch = new Option<int>("--batch") { Description = "builtin engine: mutants per worker round trip (1: one at a time).", DefaultValueFactory = _ => 16 };
        var expected = new Option<string?>("--expect") { Description = "For a user harness: comma-separated full names of exception types that are normal rejections, not crashes." };
        var syncDir = new Option<string?>("--sync-dir") { Description = "AFL++ sync directory (the -o shared by afl-fuzz -M/-S instances) to join: export finds in afl's queue layout, import the others'." };
        var instance = new Option<string>("--instance") { Description = "This campaign's instance name in --sync-dir (afl: the -M name; further workers are NAME-wN).", DefaultValueFactory = _ => "agentkit" };
        var mode = ModeOption();
        var seed = new Option<int?>("--seed") { Description = "Random seed of the mutator (afl: -s, one more per instance; --lm: the model's sampling). Omitted: time-based." };
        var json = CommonOptions.Json();
        var lm = new FuzzLmOptions();
        var command = new Command("fuzz", "Fuzz a .NET parser with SharpFuzz instrumentation: coverage-guided, out-of-process, resumable.")
        {
            target, harness, seconds, output, engine, workers, seeds, timeout, stopAfter, batch, expected, syncDir, instance, mode, seed, json,
        };
        foreach (var option in lm.All)
            command.Options.Add(option);
        command.Subcommands.Add(Replay());
        command.Subcommands.Add(FuzzQuestionsCommand.Create());
        command.Subcommands.Add(FuzzHindsightCommand.Create());
        command.Subcommands.Add(FuzzHitRateCommand.Create());

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            // Checked before the target is resolved and instrumented: a bad argument should not wait for a download.
            var duration = pr.GetValue(seconds);
            if (duration < 1)
                throw new CliUsageException($"--seconds must be at least 1, got {duration}.");
            var workerCount = pr.GetValue(workers);
            if (workerCount is < 1 or > 256)
                throw new CliUsageException($"--workers must be between 1 and 256, got {workerCount}.");
            var fuzzHarness = CliUsageException.Check(() => FuzzHarness.Parse(pr.GetValue(harness)!, pr.GetValue(expected)));
            var outDir = pr.GetValue(output)!;
            var options = CliUsageException.Check(() => new FuzzCampaignOptions
            {
                OutputDirectory = outDir, Duration = TimeSpan.FromSeconds(duration), Workers = workerCount, SeedDirectory = pr.GetValue(seeds),
                ExecTimeout = TimeSpan.FromMilliseconds(pr.GetValue(timeout)), StopAfterCrashes = pr.GetValue(stopAfter),
                BatchSize = pr.GetValue(batch), SyncDirectory = pr.GetValue(syncDir), InstanceName = pr.GetValue(instance)!,
                Mode = ParseMode(pr.GetValue(mode)), Seed = pr.GetValue(seed),
            }.Validate());

            var useAfl = pr.GetValue(engine) == "afl";
            var lmBackend = lm.Backend(pr);

            var asJson = pr.GetValue(json);
            var err = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            var fuzzTarget = await ResolveTargetAsync(pr.GetValue(target)!, fuzzHarness, ct);
            if (!asJson)
                err.MarkupLine($"[grey]Instrumenting {Markup.Escape(fuzzTarget.Description)} ({fuzzTarget.Assemblies.Count} assembl{(fuzzTarget.Assemblies.Count == 1 ? "y" : "ies")})…[/]");
            var instrumented = FuzzCampaign.Prepare(fuzzTarget, fuzzHarness, outDir, FuzzTarget.DefaultCacheDirectory);
            if (useAfl && AflCampaign.FindAflFuzz() is null)
                throw new CliUsageException("--engine afl needs afl-fuzz on PATH: install the Debian package afl++ (apt-get install afl++).");
            var generator = lmBackend is null ? null : FuzzLmOptions.Open(lmBackend);
            using var ownsGenerator = generator as IDisposable;
            if (generator is not null)
                options = options with { LanguageModel = lm.Seeding(pr, generator) };
            Task<FuzzReport> Run(IProgress<FuzzProgress>? live) => useAfl
                ? AflCampaign.RunAsync(instrumented, fuzzHarness, options, live, ct)
                : FuzzCampaign.RunAsync(instrumented, fuzzHarness, options, live, ct);

            if (!asJson)
                err.MarkupLine($"[grey]{(useAfl ? "afl++" : "builtin engine")}: {instrumented.Probes.Count} probes{(instrumented.FromCache ? " (cached)" : "")}; {workerCount} worker(s); campaign in {Markup.Escape(Path.GetFullPath(outDir))}[/]");
            var report = asJson ? await Run(null) : await err.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("fuzzing", maxValue: duration);
                    var result = await Run(new Progress<FuzzProgress>(p =>
                    {
                        task.Value = Math.Min(duration, p.Elapsed.TotalSeconds);
                        task.Description = $"{p.ExecsPerSecond:F0} execs/s, {p.Edges} edges, corpus {p.Corpus}, crashes {p.Crashes}, hangs {p.Hangs}";
                    }));
                    task.Value = duration;
                    return result;
                });
            CliOutput.Write(pr, asJson, report, console => WriteTable(console, report));
            return CliApp.Success;
        });
        return command;
    }

    /// <summary><see cref="FuzzTarget.ResolveAsync"/> with its argument errors as usage errors (exit 2).</summary>
    internal static Task<FuzzTarget> ResolveTargetAsync(string target, FuzzHarness harness, CancellationToken ct) =>
        CliUsageException.CheckAsync(() => FuzzTarget.ResolveAsync(target, harness, FuzzTarget.DefaultCacheDirectory, ct));

    private static Command Replay()
    {
        var input = new Argument<string>("input") { Description = "A saved input, e.g. DIR/crashes/crash-0001-…" };
        var command = new Command("replay", "Re-run one saved input against its campaign's target and print the exception and stack.") { input };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var result = await CliUsageException.CheckAsync(() => FuzzReplay.RunAsync(pr.GetValue(input)!, cancellationToken: ct));
            var stdout = pr.InvocationConfiguration.Output;
            await stdout.WriteAsync(result.Output + result.Errors);
            await stdout.WriteLineAsync($"runner exit code {result.ExitCode}{(result.Aborted ? " (abort: stack overflow or fatal runtime error)" : "")}");
            return CliApp.Success;
        });
        return command;
    }

    private static void WriteTable(IAnsiConsole console, FuzzReport report)
    {
        var table = new Table().Title($"{report.Engine} campaign, {report.Seconds:F0} s, {report.Workers} worker(s)").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("execs", report.Execs.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("execs/s", report.ExecsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        if (report.TargetShare is { } share)
            table.AddRow("worker time in the target", share.ToString("P0", CultureInfo.InvariantCulture));
        table.AddRow("edges", report.Edges.ToString(CultureInfo.InvariantCulture));
        table.AddRow("corpus", report.Corpus.ToString(CultureInfo.InvariantCulture));
        table.AddRow("crashes (distinct)", report.Crashes.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("hangs", report.Hangs.ToString(CultureInfo.InvariantCulture));
        table.AddRow("first crash after", report.FirstCrashSeconds is { } s ? $"{s:F1} s" : "-");
        if (report.SyncImported is { } imported)
            table.AddRow("sync: imported / exported", $"{imported} / {report.SyncExported}");
        if (report.Lm is { } lm)
        {
            table.AddRow("lm: model", Markup.Escape(lm.Model));
            table.AddRow("lm: rounds / questions", $"{lm.Rounds} / {lm.Questions}");
            if (lm.GeneratedInputs > 0)
                table.AddRow("lm: inputs written unprompted", lm.GeneratedInputs.ToString(CultureInfo.InvariantCulture));
            table.AddRow("lm: inputs tried / added coverage", $"{lm.InputsTried} / {lm.InputsAddedCoverage}");
            table.AddRow("lm: frontier branches opened", lm.BranchesOpened.Count == 0 ? "0" : $"{lm.BranchesOpened.Count} ({string.Join(", ", lm.BranchesOpened.Take(8))}{(lm.BranchesOpened.Count > 8 ? ", …" : "")})");
            table.AddRow("lm: model time", $"{lm.ModelSeconds:F1} s ({lm.ModelShare:P1} of the campaign)");
            table.AddRow("lm: model errors / unusable answers", $"{lm.ModelErrors} / {lm.UnusableAnswers}");
            table.AddRow("lm: repeated answers / retries", $"{lm.RepeatedAnswers} / {lm.Retries}");
        }
        if (report.UnreproducedCrashes is { } unreproduced)
            table.AddRow("afl crashes not reproduced", unreproduced.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        foreach (var crash in report.Crashes)
            console.MarkupLine($"[red]{Markup.Escape(crash.Kind)}[/] {Markup.Escape(crash.Signature)}\n    {Markup.Escape(crash.File)}");
        if (report.PlotFile is not null)
            console.MarkupLine($"[grey]edges over time: {Markup.Escape(report.PlotFile)}[/]");
    }
}
