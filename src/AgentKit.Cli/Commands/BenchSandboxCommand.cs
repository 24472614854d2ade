// agentkit bench sandbox [--snippets 200] [--workers N] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Sandbox.Bench;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench sandbox</c>: binds the flags, runs <see cref="SandboxBenchmark"/> against Roslyn's
/// <c>CSharpScript.EvaluateAsync</c> in this process (the fast, unsafe peer) and renders the report.
/// </summary>
internal static class BenchSandboxCommand
{
    public static Command Create()
    {
        var snippets = new Option<int>("--snippets") { Description = "Timed snippets per measurement (after warm-up).", DefaultValueFactory = _ => 200 };
        var workers = new Option<int?>("--workers") { Description = "Sandbox workers, and in-process parallelism for throughput (default: one per core)." };
        var json = CommonOptions.Json();
        var command = new Command("sandbox", "Round trip and throughput of snippets through the sandbox pool, against in-process CSharpScript.EvaluateAsync.")
        {
            snippets, workers, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var count = pr.GetValue(snippets);
            var parallel = pr.GetValue(workers) ?? Environment.ProcessorCount;
            if (count is < 10 or > 100_000)
                throw new CliUsageException($"--snippets must be between 10 and 100000, got {count}.");
            if (parallel is < 1 or > 256)
                throw new CliUsageException($"--workers must be between 1 and 256, got {parallel}.");
            var options = new SandboxBenchmarkOptions { Snippets = count, Workers = parallel };
            var asJson = pr.GetValue(json);
            var report = await RunAsync(options, asJson ? null : SpectreConsoles.For(pr.InvocationConfiguration.Error), ct);
            CliOutput.Write(pr, asJson, report, console => WriteTable(console, report));
            return report.SameResults ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }

    private static async Task<SandboxBenchmarkReport> RunAsync(SandboxBenchmarkOptions options, IAnsiConsole? progress, CancellationToken ct)
    {
        var peer = new InProcessPeer();
        // The peer's snippets print to this process's Console: discard that, as the sandbox captures its own.
        var console = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            if (progress is null) return await SandboxBenchmark.RunAsync(options, peer.RunAsync, null, ct);
            var total = SandboxBenchmark.Workloads.Count * SandboxBenchmark.MeasurementsPerSnippet * options.Snippets;
            return await progress.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"{SandboxBenchmark.Workloads.Count} snippets x {SandboxBenchmark.MeasurementsPerSnippet} measurements x {options.Snippets}", maxValue: total);
                    return await SandboxBenchmark.RunAsync(options, peer.RunAsync, new SyncProgress<int>(done => task.Value = done), ct);
                });
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    private static void WriteTable(IAnsiConsole console, SandboxBenchmarkReport report)
    {
        var latency = new Table()
            .Title($"Round trip, sequential, {report.Snippets} snippets each (pool of {report.Workers}, started in {report.PoolStartMs:F0} ms; {report.Confinement})")
            .AddColumn("snippet").AddColumn(new TableColumn("sandbox p50 ms").RightAligned()).AddColumn(new TableColumn("sandbox p95 ms").RightAligned())
            .AddColumn(new TableColumn("in-process p50 ms").RightAligned()).AddColumn(new TableColumn("in-process p95 ms").RightAligned())
            .AddColumn(new TableColumn("sandbox / in-process").RightAligned());
        foreach (var row in report.Latency)
            latency.AddRow(row.Snippet, F(row.SandboxP50Ms), F(row.SandboxP95Ms), F(row.InProcessP50Ms), F(row.InProcessP95Ms), $"{row.RatioP50:F2}x");
        console.Write(latency);

        var rates = new Table()
            .Title($"Throughput of one-shot runs (a fresh worker each), {report.Workers} in parallel")
            .AddColumn("snippet").AddColumn(new TableColumn("sandbox snippets/s").RightAligned())
            .AddColumn(new TableColumn("in-process snippets/s").RightAligned()).AddColumn(new TableColumn("sandbox / in-process").RightAligned());
        foreach (var row in report.Throughput)
            rates.AddRow(row.Snippet, F(row.SandboxPerSecond), F(row.InProcessPerSecond), $"{row.Ratio:F2}x");
        console.Write(rates);
        console.WriteLine(report.SameResults
            ? "Both ran the snippets to the same values. The in-process peer has no isolation: it can read files, start processes and exit the host."
            : "WARNING: the sandbox and the in-process peer disagreed on a snippet's value.");
    }

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>The named peer: Roslyn's scripting API in this process, with the sandbox's implicit imports.</summary>
    private sealed class InProcessPeer
    {
        private readonly ScriptOptions _options = ScriptOptions.Default
            .AddReferences(typeof(Enumerable).Assembly, typeof(System.Text.RegularExpressions.Regex).Assembly)
            .AddImports("System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Text.RegularExpressions", "System.Globalization");

        public async Task<string?> RunAsync(string code, CancellationToken ct)
        {
            var value = await CSharpScript.EvaluateAsync<object>(code, _options, cancellationToken: ct);
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }
}
