using System.Diagnostics;

namespace AgentKit.Sandbox.Bench;

/// <summary>Wall-clock timing of sequential and parallel calls, and percentiles.</summary>
internal static class Timing
{
    /// <summary>Times <paramref name="count"/> calls one after another; <paramref name="untimedBefore"/> runs before each, outside the time.</summary>
    public static async Task<List<double>> SequentialAsync<T>(int count, Func<Task<T>> run, Action step, Func<Task>? untimedBefore = null)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (untimedBefore is not null) await untimedBefore().ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            await run().ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            step();
        }
        return times;
    }

    /// <summary>Calls per second with <paramref name="parallelism"/> in flight.</summary>
    public static async Task<double> ParallelAsync<T>(int count, int parallelism, Func<CancellationToken, Task<T>> run, Action step, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (_, token) =>
            {
                await run(token).ConfigureAwait(false);
                step();
            }).ConfigureAwait(false);
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The <paramref name="p"/> quantile (nearest rank), rounded to 0.01.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var index = Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1);
        return Math.Round(sorted[index], 2);
    }
}
