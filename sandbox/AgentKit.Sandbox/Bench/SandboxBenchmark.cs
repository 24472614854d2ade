using System.Diagnostics;
using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Bench;

/// <summary>
/// Runs a snippet outside the sandbox, for comparison (the CLI passes Roslyn's <c>CSharpScript.EvaluateAsync</c>
/// in its own process: fast, and no isolation at all); returns the snippet's value as invariant text.
/// </summary>
public delegate Task<string?> SnippetPeer(string code, CancellationToken cancellationToken);

/// <summary>
/// What out-of-process safety costs (<c>agentkit bench sandbox</c>): a trivial snippet and a 20-line LINQ snippet
/// through the sandbox — as a step of a run of five steps, as a one-shot run on a ready fresh worker, and as one-shot
/// runs back to back (which wait for workers to start once the warm ones are used up), then one-shot throughput with
/// <see cref="SandboxBenchmarkOptions.Workers"/> in parallel — against a named in-process peer on the same snippets.
/// </summary>
public static class SandboxBenchmark
{
    /// <summary>The smallest snippet: what a round trip costs with nothing to compile or run.</summary>
    public const string TrivialSnippet = "1 + 1";

    /// <summary>A typical agent computation: grouping, ordering, aggregation, string work (20 lines).</summary>
    public const string LinqSnippet = """
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

    private const int StepsPerRun = 5;

    /// <summary>Measurements per snippet, for sizing a progress bar: three sandbox modes, the peer, and two throughput runs.</summary>
    public const int MeasurementsPerSnippet = 6;

    /// <summary>The snippets measured, by name.</summary>
    public static IReadOnlyList<(string Name, string Code)> Workloads { get; } = [("trivial", TrivialSnippet), ("linq-20-lines", LinqSnippet)];

    /// <summary>
    /// Starts a pool of <see cref="SandboxBenchmarkOptions.Workers"/> and measures; <paramref name="progress"/> hears
    /// each timed snippet (<see cref="Workloads"/> × <see cref="MeasurementsPerSnippet"/> × snippets in all).
    /// </summary>
    /// <exception cref="InvalidOperationException">A benchmark snippet failed in the sandbox.</exception>
    public static async Task<SandboxBenchmarkReport> RunAsync(
        SandboxBenchmarkOptions options, SnippetPeer peer, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(peer);
        var ct = cancellationToken;
        var startWatch = Stopwatch.StartNew();
        await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = options.Workers, Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: ct)
            .ConfigureAwait(false);
        var poolStartMs = startWatch.Elapsed.TotalMilliseconds;
        var done = 0;
        void Step() => progress?.Report(Interlocked.Increment(ref done));

        // Warm-up: the peer pays its cold start here; the pool already paid it at start.
        var sameResults = true;
        foreach (var (_, code) in Workloads)
        {
            var inSandbox = await sandbox.RunAsync(code, ct).ConfigureAwait(false);
            if (inSandbox.Status != ExecutionStatus.Ok)
                throw new InvalidOperationException($"The benchmark snippet failed in the sandbox: {inSandbox.Status} {inSandbox.Error}");
            sameResults &= inSandbox.ReturnValue == await peer(code, ct).ConfigureAwait(false);
        }

        var latency = new List<SandboxLatencyRow>();
        var throughput = new List<SandboxThroughputRow>();
        var count = options.Snippets;
        foreach (var (name, code) in Workloads)
        {
            var stepTimes = await TimeStepsAsync(sandbox, count, code, Step, ct).ConfigureAwait(false);
            // The pool refilled (untimed) before each run, as it is when runs come more slowly than workers start.
            var readyTimes = await Timing.SequentialAsync(count, () => sandbox.RunAsync(code, ct), Step, () => sandbox.WaitForWarmWorkersAsync(ct)).ConfigureAwait(false);
            var backToBackTimes = await Timing.SequentialAsync(count, () => sandbox.RunAsync(code, ct), Step).ConfigureAwait(false);
            // The peer last: an in-process peer leaks an assembly per call into this process, where the sandbox compiles too.
            var peerTimes = await Timing.SequentialAsync(count, () => peer(code, ct), Step).ConfigureAwait(false);
            foreach (var (mode, times) in new[] { ("step in a run", stepTimes), ("one-shot run, fresh worker ready", readyTimes), ("one-shot runs back to back", backToBackTimes) })
            {
                var (p50, peerP50) = (Timing.Percentile(times, 0.50), Timing.Percentile(peerTimes, 0.50));
                latency.Add(new SandboxLatencyRow($"{name}, {mode}", p50, Timing.Percentile(times, 0.95), peerP50, Timing.Percentile(peerTimes, 0.95), Math.Round(p50 / peerP50, 2)));
            }

            var sandboxRate = await Timing.ParallelAsync(count, options.Workers, token => sandbox.RunAsync(code, token), Step, ct).ConfigureAwait(false);
            var peerRate = await Timing.ParallelAsync(count, options.Workers, token => peer(code, token), Step, ct).ConfigureAwait(false);
            throughput.Add(new SandboxThroughputRow(name, options.Workers, Math.Round(sandboxRate, 1), Math.Round(peerRate, 1), Math.Round(sandboxRate / peerRate, 2)));
        }
        return new SandboxBenchmarkReport(count, options.Workers, sandbox.NetworkIsolated, sandbox.Confinement, Math.Round(poolStartMs, 1), sameResults, latency, throughput);
    }

    // A run of StepsPerRun steps on one session; the pool refills (untimed) before each run, as it would while a model writes the first step.
    private static async Task<List<double>> TimeStepsAsync(CodeSandbox sandbox, int count, string code, Action step, CancellationToken ct)
    {
        var times = new List<double>(count);
        while (times.Count < count)
        {
            await sandbox.WaitForWarmWorkersAsync(ct).ConfigureAwait(false);
            var session = await sandbox.OpenSessionAsync([], ct).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                for (var i = 0; i < StepsPerRun && times.Count < count; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var result = await session.ExecuteAsync(code, ct).ConfigureAwait(false);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (result.Status != ExecutionStatus.Ok)
                        throw new InvalidOperationException($"The benchmark snippet failed as a step: {result.Status} {result.Error}");
                    step();
                }
            }
        }
        return times;
    }
}
