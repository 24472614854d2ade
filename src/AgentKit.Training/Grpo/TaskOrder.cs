using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Training.Grpo;

/// <summary>
/// The tasks in a fresh shuffled order every epoch, addressed by how many have been drawn so far, so a saved count is
/// the whole data position. Each epoch's order depends only on the seed and the epoch.
/// </summary>
internal sealed class TaskOrder(IReadOnlyList<TrajectoryTask> tasks, long seed)
{
    private int[] _order = [];
    private long _epoch = -1;

    public TrajectoryTask At(long drawn)
    {
        var epoch = drawn / tasks.Count;
        if (epoch != _epoch)
        {
            _order = [.. Enumerable.Range(0, tasks.Count)];
            new Random(unchecked((int)Seeds.Mix(seed, epoch, 0x7A5C))).Shuffle(_order);
            _epoch = epoch;
        }
        return tasks[_order[(int)(drawn % tasks.Count)]];
    }
}

/// <summary>Derives independent seeds from the run's seed and a position (SplitMix64 finaliser over the parts).</summary>
internal static class Seeds
{
    public static long Mix(long seed, params long[] parts)
    {
        var x = unchecked((ulong)seed);
        foreach (var p in parts)
        {
            x ^= unchecked((ulong)p) + 0x9E3779B97F4A7C15UL + (x << 6) + (x >> 2);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
        }
        // Non-negative and below 2^62: torch generators and System.Random take it as is.
        return (long)(x >> 2);
    }
}
