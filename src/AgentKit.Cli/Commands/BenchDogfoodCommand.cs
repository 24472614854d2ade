// agentkit bench dogfood [--seconds-per-target 60] [--targets gguf,action,...] [--workers K] [--timeout-ms 1000] [--seed S] [--out DIR] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Tools.Dogfood;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench dogfood</c>: AgentKit's own parsers (GGUF, agent.json, actions, trajectories, GBNF, tokenizer.json,
/// chat requests) fuzzed by its own builtin engine, one campaign per parser. The peer of each campaign's edges is the
/// coverage of its seeds alone, replayed in the same run. Findings are saved under <c>DIR/&lt;target&gt;/crashes/</c>.
/// </summary>
internal static class BenchDogfoodCommand
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds-per-target") { Description = "Campaign length of each parser.", DefaultValueFactory = _ => 60 };
        var targets = new Option<string?>("--targets") { Description = $"Comma-separated parsers to fuzz (default: all of {string.Join(", ", DogfoodTarget.All.Select(t => t.Name))})." };
        var workers = new Option<int>("--workers") { Description = "Worker processes per campaign (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var timeout = new Option<int>("--timeout-ms") { Description = "Time one input may take before it is a hang.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int?>("--seed") { Description = "Random seed of the mutators (default: time-based)." };
        var output = new Option<string?>("--out") { Description = "Folder for the campaigns (default: a new temp folder); reuse it to resume them." };
        var json = CommonOptions.Json();
        var command = new Command("dogfood", "Fuzz AgentKit's own parsers with its own engine: execs, edges against the seeds alone, crashes per parser.")
        {
            seconds, targets, workers, timeout, seed, output, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.Check(() => new DogfoodOptions
            {
                OutputDirectory = pr.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "agentkit-bench-dogfood-" + Guid.NewGuid().ToString("N")[..8]),
                Targets = pr.GetValue(targets)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                DurationPerTarget = TimeSpan.FromSeconds(pr.GetValue(seconds)), Workers = pr.GetValue(workers),
                ExecTimeout = TimeSpan.FromMilliseconds(pr.GetValue(timeout)), Seed = pr.GetValue(seed),
            }.Validate(), message => message.Replace("DurationPerTarget", "--seconds-per-target").Replace("Workers", "--workers").Replace("ExecTimeout", "--timeout-ms")
                .Replace("Targets is empty: leave it unset to run every target", "--targets is empty; leave it out to fuzz every parser")
                .Replace("unknown dogfood target", "--targets: unknown parser"));

            var asJson = pr.GetValue(json);
            var err = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            var count = options.SelectedTargets().Count;
            if (!asJson)
                err.MarkupLine($"[grey]{count} parser(s) × {options.DurationPerTarget.TotalSeconds:F0} s, {options.Workers} worker(s) each: about {count * options.DurationPerTarget.TotalSeconds / 60:F1} min plus start-up; campaigns in {Markup.Escape(Path.GetFullPath(options.OutputDirectory))}[/]");
            var report = await DogfoodCampaign.RunAsync(options, asJson ? null : new ProgressLines(err), ct);
            CliOutput.Write(pr, asJson, report, console => WriteTable(console, report));
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>One line when a campaign starts and one every 15 s of it, on stderr.</summary>
    private sealed class ProgressLines(IAnsiConsole console) : IProgress<DogfoodProgress>
    {
        private string? _target;
        private int _lastQuarter;

        public void Report(DogfoodProgress value)
        {
            if (value.Target != _target)
            {
                _target = value.Target;
                _lastQuarter = 0;
                console.MarkupLine($"[grey][[{value.Index + 1}/{value.Count}]] {Markup.Escape(value.Target)}: instrumenting and starting workers…[/]");
            }
            if (value.Campaign is { } c && (int)(c.Elapsed.TotalSeconds / 15) > _lastQuarter)
            {
                _lastQuarter = (int)(c.Elapsed.TotalSeconds / 15);
                console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"    {c.Elapsed.TotalSeconds:F0} s: {c.Execs:N0} execs ({c.ExecsPerSecond:N0}/s), {c.Edges} edges, corpus {c.Corpus}, crashes {c.Crashes}, hangs {c.Hangs}")));
            }
        }
    }

    private static void WriteTable(IAnsiConsole console, DogfoodReport report)
    {
        static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var table = new Table().Title($"AgentKit parsers fuzzed by the builtin engine, {report.SecondsPerTarget:F0} s each, {report.Workers} worker(s)")
            .AddColumn("target").AddColumn(new TableColumn("execs").RightAligned()).AddColumn(new TableColumn("execs/s").RightAligned())
            .AddColumn(new TableColumn("seed edges").RightAligned()).AddColumn(new TableColumn("edges").RightAligned()).AddColumn(new TableColumn("gain").RightAligned())
            .AddColumn(new TableColumn("corpus").RightAligned()).AddColumn(new TableColumn("crashes").RightAligned()).AddColumn(new TableColumn("hangs").RightAligned());
        foreach (var row in report.Targets)
        {
            var gain = row.SeedEdges is > 0 and var seeds ? (row.Edges / (double)seeds).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";
            table.AddRow(Markup.Escape(row.Target), N(row.Execs), N(row.ExecsPerSecond), row.SeedEdges is { } s ? N(s) : "-",
                N(row.Edges), gain, N(row.Corpus), row.Crashes.Count == 0 ? "0" : $"[red]{row.Crashes.Count}[/]", row.Hangs == 0 ? "0" : $"[red]{row.Hangs}[/]");
        }
        console.Write(table);
        console.MarkupLine("[grey]seed edges: coverage-map cells the seeds alone reach; gain: edges / seed edges; crashes: unique by signature.[/]");
        foreach (var row in report.Targets.Where(r => r.Crashes.Count > 0 || r.Hangs > 0))
        {
            console.MarkupLine($"[bold]{Markup.Escape(row.Target)}[/]: {row.Crashes.Count} crash(es) in {Markup.Escape(Path.Combine(row.CampaignDirectory, "crashes"))}, {row.Hangs} hang(s) in {Markup.Escape(Path.Combine(row.CampaignDirectory, "hangs"))}");
            foreach (var crash in row.Crashes)
                console.MarkupLine($"  {Markup.Escape(crash.Id)}  {Markup.Escape(crash.Kind)}  {Markup.Escape(crash.Signature)}");
        }
        if (report.TotalCrashes > 0)
            console.MarkupLine($"replay one: agentkit fuzz replay {Markup.Escape(Path.Combine(report.OutputDirectory, "<target>", "crashes", "<id>"))}");
    }
}
