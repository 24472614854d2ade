// agentkit bench fuzz --target Markdig@0.31.0 --harness markdown [--seconds 300] [--workers K] [--mode in-process|out-of-process] [--until-crash] [--repeat R] [--out DIR] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Fuzzing;
using AgentKit.Fuzzing.Bench;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench fuzz</c>: the builtin engine against afl++ on the same target, wall time and worker count —
/// execs/s, edges (each engine's own figure and both corpora replayed through our worker), corpus, ratios builtin/afl;
/// with <c>--until-crash</c>, the time to the first crash of each of R runs per engine and the medians.
/// </summary>
internal static class BenchFuzzCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "NuGet package Id@Version, or path(s) of local assemblies separated by ','.", Required = true };
        var harness = new Option<string>("--harness") { Description = $"Built-in adapter ({string.Join(", ", FuzzHarness.BuiltInNames)}) or Namespace.Type.Method of a static harness.", Required = true };
        var seconds = new Option<int>("--seconds") { Description = "Wall time of every run (the limit when looking for the first crash).", DefaultValueFactory = _ => 60 };
        var workers = new Option<int>("--workers") { Description = "Builtin workers and afl instances alike (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var untilCrash = new Option<bool>("--until-crash") { Description = "Stop each run at its first crash and compare times to first crash." };
        var repeat = new Option<int>("--repeat") { Description = "Runs per engine (medians are reported).", DefaultValueFactory = _ => 1 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Time one input may take before it is a hang, for both engines.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string?>("--out") { Description = "Folder for the runs' campaign directories (default: a new temp folder)." };
        var expected = new Option<string?>("--expect") { Description = "For a user harness: comma-separated full names of exception types that are normal rejections." };
        var mode = FuzzCommand.ModeOption();
        var json = CommonOptions.Json();
        var command = new Command("fuzz", "Fuzzing engines head to head: builtin vs afl++ on the same target, time and cores.")
        {
            target, harness, seconds, workers, untilCrash, repeat, timeout, output, expected, mode, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var fuzzHarness = CliUsageException.Check(() => FuzzHarness.Parse(pr.GetValue(harness)!, pr.GetValue(expected)));
            var options = CliUsageException.Check(() => new FuzzBenchOptions
            {
                OutputDirectory = pr.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "agentkit-bench-fuzz-" + Guid.NewGuid().ToString("N")[..8]),
                Duration = TimeSpan.FromSeconds(pr.GetValue(seconds)), Workers = pr.GetValue(workers), Repeat = pr.GetValue(repeat),
                UntilCrash = pr.GetValue(untilCrash), ExecTimeout = TimeSpan.FromMilliseconds(pr.GetValue(timeout)),
                Mode = FuzzCommand.ParseMode(pr.GetValue(mode)),
            }.Validate());
            if (Fuzzing.Afl.AflCampaign.FindAflFuzz() is null)
                throw new CliUsageException("bench fuzz needs afl-fuzz on PATH: install the Debian package afl++ (apt-get install afl++).");

            var asJson = pr.GetValue(json);
            var err = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            var fuzzTarget = await FuzzCommand.ResolveTargetAsync(pr.GetValue(target)!, fuzzHarness, ct);
            var progress = new Progress<string>(line => { if (!asJson) err.MarkupLine($"[grey]{Markup.Escape(line)}[/]"); });
            if (!asJson)
                err.MarkupLine($"[grey]{options.Repeat} run(s) per engine of {options.Duration.TotalSeconds:F0} s: about {2 * options.Repeat * options.Duration.TotalSeconds / 60:F1} min plus start-up and corpus replay; runs in {Markup.Escape(Path.GetFullPath(options.OutputDirectory))}[/]");
            var report = await EngineComparison.RunAsync(fuzzTarget, fuzzHarness, options, progress, ct);
            CliOutput.Write(pr, asJson, report, console => WriteTables(console, report));
            return CliApp.Success;
        });
        return command;
    }

    private static void WriteTables(IAnsiConsole console, FuzzBenchReport report)
    {
        static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        static string R(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";
        static string T(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) + " s" : "none";

        var table = new Table().Title($"{Markup.Escape(report.Target)} ({Markup.Escape(report.Harness)}), {report.Seconds:F0} s, {report.Workers} worker(s), median of {report.Repeat}")
            .AddColumn("figure").AddColumn(new TableColumn("builtin").RightAligned()).AddColumn(new TableColumn("afl++").RightAligned()).AddColumn(new TableColumn("builtin/afl").RightAligned());
        table.AddRow("execs/s", N(report.Builtin.ExecsPerSecond), N(report.Afl.ExecsPerSecond), R(report.Ratios.ExecsPerSecond));
        if (report.Builtin.TargetShare is { } share)
            table.AddRow("share of worker time in the target", share.ToString("P0", CultureInfo.InvariantCulture), "-",
                "ceiling " + R(report.Ratios.ExecsPerSecondCeiling));
        table.AddRow("edges, corpus replayed through our worker", N(report.Builtin.EdgesReplayed), N(report.Afl.EdgesReplayed), R(report.Ratios.EdgesReplayed));
        table.AddRow("edges, engine's own figure", N(report.Builtin.Edges), N(report.Afl.Edges), R(report.Ratios.Edges));
        table.AddRow("corpus", N(report.Builtin.Corpus), N(report.Afl.Corpus), R(report.Ratios.Corpus));
        if (report.UntilCrash)
        {
            table.AddRow("first crash, median", T(report.Builtin.FirstCrashMedian), T(report.Afl.FirstCrashMedian), R(report.Ratios.FirstCrashSeconds));
            table.AddRow("first crash, each run", string.Join(", ", report.Builtin.FirstCrashSeconds.Select(T)), string.Join(", ", report.Afl.FirstCrashSeconds.Select(T)), "");
            table.AddRow("runs with a crash", $"{report.Builtin.RunsWithCrash}/{report.Repeat}", $"{report.Afl.RunsWithCrash}/{report.Repeat}", "");
        }
        console.Write(table);
    }
}
