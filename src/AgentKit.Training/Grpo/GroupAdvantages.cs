namespace AgentKit.Training.Grpo;

/// <summary>Advantages of a batch of groups, and which groups had no reward spread.</summary>
/// <param name="Advantages">One per completion, in the order of the rewards.</param>
/// <param name="ZeroStdGroups">Per group: true when every completion got the same reward (zero advantages: nothing to learn).</param>
public sealed record AdvantageResult(double[] Advantages, bool[] ZeroStdGroups)
{
    /// <summary>Share of groups whose rewards were all equal (TRL's <c>frac_reward_zero_std</c>).</summary>
    public double FractionZeroStd => ZeroStdGroups.Length == 0 ? 0 : (double)ZeroStdGroups.Count(z => z) / ZeroStdGroups.Length;
}

/// <summary>
/// GRPO's advantages, as TRL computes them: each reward minus its group's mean, divided by the group's standard
/// deviation (<see cref="RewardScaling.Group"/>), the whole batch's (<see cref="RewardScaling.Batch"/>) or nothing
/// (<see cref="RewardScaling.None"/>), plus <see cref="StdEpsilon"/>. Standard deviations are unbiased (n − 1), as torch's.
/// </summary>
public static class GroupAdvantages
{
    /// <summary>Added to the standard deviation before dividing (TRL's 1e-4), so equal rewards give 0, not NaN.</summary>
    public const double StdEpsilon = 1e-4;

    /// <summary>A standard deviation at most this is "zero" (torch's <c>isclose</c> default absolute tolerance).</summary>
    public const double ZeroStdTolerance = 1e-8;

    /// <summary>Computes advantages for <paramref name="rewards"/>, laid out as consecutive groups of <paramref name="groupSize"/>.</summary>
    public static AdvantageResult Compute(IReadOnlyList<double> rewards, int groupSize, RewardScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "A group needs at least 2 completions.");
        if (rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards do not divide into groups of {groupSize}.");
        if (rewards.Any(r => !double.IsFinite(r)))
            throw new ArgumentException("Rewards must be finite numbers.");
        var groups = rewards.Count / groupSize;
        var advantages = new double[rewards.Count];
        var zero = new bool[groups];
        var batchStd = StandardDeviation(rewards);
        for (var g = 0; g < groups; g++)
        {
            var group = rewards.Skip(g * groupSize).Take(groupSize).ToArray();
            var mean = group.Average();
            var std = StandardDeviation(group);
            zero[g] = std <= ZeroStdTolerance;
            var scale = scaling switch
            {
                RewardScaling.Group => std + StdEpsilon,
                RewardScaling.Batch => batchStd + StdEpsilon,
                _ => 1.0,
            };
            for (var i = 0; i < groupSize; i++)
                advantages[g * groupSize + i] = (group[i] - mean) / scale;
        }
        return new AdvantageResult(advantages, zero);
    }

    /// <summary>Unbiased standard deviation (0 for fewer than two values).</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
            return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
