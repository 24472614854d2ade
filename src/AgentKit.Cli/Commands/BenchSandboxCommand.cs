// agentkit bench sandbox [--snippets 200] [--workers N] [--json]
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench sandbox</c>: what out-of-process safety costs. Runs a trivial snippet and a 20-line LINQ
/// snippet through the sandbox (round-trip p50/p95, sequential, both as a step of a run of five steps and as a
/// one-shot run that needs a fresh worker; then one-shot throughput with one worker per core) and the same snippets
/// in-process with plain <c>CSharpScript.EvaluateAsync</c> — the fast, unsafe peer — and prints the ratios.
/// </summary>
internal static class BenchSandboxCommand
{
    internal const string TrivialSnippet = "1 + 1";

    /// <summary>A typical agent computation: grouping, ordering, aggregation, string work (20 lines).</summary>
    internal const string LinqSnippet = """
        var orders = Enumerable.Range(1, 200)
            .Select(i => new { Id = i, Customer = "c" + (i % 17), Amount = (i * 37) % 101 + 0.5m, Day = i % 7 })
            .ToList();
        var byCustomer = orders
            .GroupBy(o => o.Customer)
            .Select(g => new { Customer = g.Key, Total = g.Sum(o => o.Amount), Count = g.Count() })
            .OrderByDescending(x => x.Total)
            .ToList();
        var busiestDay = orders.GroupBy(o => o.Day).OrderByDescending(g => g.Count()).First().Key;
        var top = byCustomer.Take(3).Select(x => $"{x.Customer}:{x.Total}");
        var evens = orders.Where(o => o.Id % 2 == 0).Sum(o => o.Amount);
        var odds = orders.Where(o => o.Id % 2 == 1).Sum(o => o.Amount);
        var words = "the quick brown fox jumps over the lazy dog and the end".Split(' ');
        var frequency = words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var sorted = words.Distinct().OrderBy(w => w.Length).ThenBy(w => w).ToArray();
        var numbered = sorted.Zip(Enumerable.Range(1, sorted.Length), (w, n) => w + n);
        var summary = string.Join(",", top) + "|" + busiestDay + "|" + (evens - odds);
        Console.WriteLine(summary);
        var checksum = numbered.Aggregate(0, (acc, s) => acc * 31 + s.Length) + frequency["the"];
        checksum
        """;

    internal sealed record LatencyRow(string Snippet, double SandboxP50Ms, double SandboxP95Ms, double InProcessP50Ms, double InProcessP95Ms, double RatioP50);

    internal sealed record ThroughputRow(string Snippet, int Parallelism, double SandboxPerSecond, double InProcessPerSecond, double Ratio);

    internal sealed record BenchSandboxReport(
        int Snippets, int Workers, bool NetworkIsolated, string Confinement, double PoolStartMs, bool SameResults,
        IReadOnlyList<LatencyRow> Latency, IReadOnlyList<ThroughputRow> Throughput);

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
            var asJson = pr.GetValue(json);
            var report = await RunAsync(count, parallel, asJson ? null : SpectreConsoles.For(pr.InvocationConfiguration.Error), ct);
            if (asJson)
                JsonOutput.Write(pr.InvocationConfiguration.Output, report);
            else
                WriteTable(SpectreConsoles.For(pr.InvocationConfiguration.Output), report);
            return report.SameResults ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }

    internal static async Task<BenchSandboxReport> RunAsync(int snippets, int workers, IAnsiConsole? progress, CancellationToken ct)
    {
        var startWatch = Stopwatch.StartNew();
        await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = workers, Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: ct);
        var poolStartMs = startWatch.Elapsed.TotalMilliseconds;
        var peer = new InProcessPeer();
        // The peer's snippets print to this process's Console: discard that, as the sandbox captures its own.
        var console = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            return await MeasureAsync(sandbox, peer, snippets, workers, poolStartMs, progress, ct);
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    private static async Task<BenchSandboxReport> MeasureAsync(
        CodeSandbox sandbox, InProcessPeer peer, int snippets, int workers, double poolStartMs, IAnsiConsole? progress, CancellationToken ct)
    {
        var workloads = new[] { ("trivial", TrivialSnippet), ("linq-20-lines", LinqSnippet) };

        // Warm-up: the in-process peer pays Roslyn's cold start here; the pool already paid it at start.
        var sameResults = true;
        foreach (var (_, code) in workloads)
        {
            var inSandbox = await sandbox.RunAsync(code, ct);
            var inProcess = await peer.RunAsync(code, ct);
            if (inSandbox.Status != ExecutionStatus.Ok)
                throw new InvalidOperationException($"The benchmark snippet failed in the sandbox: {inSandbox.Status} {inSandbox.Error}");
            sameResults &= inSandbox.ReturnValue == inProcess;
        }

        var latency = new List<LatencyRow>();
        var throughput = new List<ThroughputRow>();
        async Task Measure(Action? step)
        {
            foreach (var (name, code) in workloads)
            {
                // A step of a run: the run's worker is warm and its own (an agent's run has a few steps).
                var stepTimes = await TimeStepsAsync(sandbox, snippets, code, step, ct);
                // A one-shot run on a fresh warm worker: the pool refilled (untimed) before each run.
                var readyTimes = await TimeSequentialAsync(snippets, () => sandbox.RunAsync(code, ct), step, () => sandbox.WaitForWarmWorkersAsync(ct));
                // One-shot runs back to back: once the warm workers are used up, each waits for a worker to start.
                var runTimes = await TimeSequentialAsync(snippets, () => sandbox.RunAsync(code, ct), step);
                // The peer last: it leaks an assembly per call into this process, where the sandbox compiles too.
                var peerTimes = await TimeSequentialAsync(snippets, () => peer.RunAsync(code, ct), step);
                foreach (var (mode, times) in new[] { ("step in a run", stepTimes), ("one-shot run, fresh worker ready", readyTimes), ("one-shot runs back to back", runTimes) })
                {
                    latency.Add(new LatencyRow($"{name}, {mode}", Percentile(times, 0.50), Percentile(times, 0.95),
                        Percentile(peerTimes, 0.50), Percentile(peerTimes, 0.95), Math.Round(Percentile(times, 0.50) / Percentile(peerTimes, 0.50), 2)));
                }

                var sandboxRate = await TimeParallelAsync(snippets, workers, token => sandbox.RunAsync(code, token), step, ct);
                var peerRate = await TimeParallelAsync(snippets, workers, token => peer.RunAsync(code, token), step, ct);
                throughput.Add(new ThroughputRow(name, workers, Math.Round(sandboxRate, 1), Math.Round(peerRate, 1), Math.Round(sandboxRate / peerRate, 2)));
            }
        }

        if (progress is null)
        {
            await Measure(null);
        }
        else
        {
            await progress.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"{workloads.Length} snippets x 6 measurements x {snippets}", maxValue: workloads.Length * 6 * snippets);
                    await Measure(() => task.Increment(1));
                });
        }
        return new BenchSandboxReport(snippets, workers, sandbox.NetworkIsolated, sandbox.Confinement, Math.Round(poolStartMs, 1), sameResults, latency, throughput);
    }

    private const int StepsPerRun = 5;

    private static async Task<List<double>> TimeStepsAsync(CodeSandbox sandbox, int count, string code, Action? step, CancellationToken ct)
    {
        var times = new List<double>(count);
        while (times.Count < count)
        {
            // Untimed: the previous run's replacement worker finishes starting, as it would while a model writes the first step.
            await sandbox.WaitForWarmWorkersAsync(ct);
            await using var session = await sandbox.OpenSessionAsync([], ct);
            for (var i = 0; i < StepsPerRun && times.Count < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await session.ExecuteAsync(code, ct);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (result.Status != ExecutionStatus.Ok)
                    throw new InvalidOperationException($"The benchmark snippet failed as a step: {result.Status} {result.Error}");
                step?.Invoke();
            }
        }
        return times;
    }

    private static async Task<List<double>> TimeSequentialAsync<T>(int count, Func<Task<T>> run, Action? step, Func<Task>? untimedBefore = null)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (untimedBefore is not null) await untimedBefore();
            var started = Stopwatch.GetTimestamp();
            await run();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            step?.Invoke();
        }
        return times;
    }

    private static async Task<double> TimeParallelAsync<T>(int count, int parallelism, Func<CancellationToken, Task<T>> run, Action? step, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (_, token) =>
            {
                await run(token);
                step?.Invoke();
            });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var index = Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1);
        return Math.Round(sorted[index], 2);
    }

    private static void WriteTable(IAnsiConsole console, BenchSandboxReport report)
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
