using AgentKit.Training.Grpo;

namespace AgentKit.Training.Tests.Grpo;

public sealed class GroupAdvantagesTests
{
    // Two groups of four: one with a spread, one where every completion got 2.
    private static readonly double[] Rewards = [1, 0, 0, 1, 2, 2, 2, 2];

    [Fact]
    public void Group_scaling_divides_by_the_groups_unbiased_std()
    {
        var result = GroupAdvantages.Compute(Rewards, 4, RewardScaling.Group);
        // Group 1: mean 0.5, unbiased std sqrt((4 × 0.25) / 3) = sqrt(1/3).
        var a = 0.5 / (Math.Sqrt(1.0 / 3) + 1e-4);
        AssertClose([a, -a, -a, a, 0, 0, 0, 0], result.Advantages);
        Assert.Equal([false, true], result.ZeroStdGroups);
        Assert.Equal(0.5, result.FractionZeroStd);
    }

    [Fact]
    public void Batch_scaling_centres_per_group_but_divides_by_the_batch_std()
    {
        var result = GroupAdvantages.Compute(Rewards, 4, RewardScaling.Batch);
        // Batch mean 1.25; squared deviations 0.0625 + 1.5625 + 1.5625 + 0.0625 + 4 × 0.5625 = 5.5; unbiased: 5.5 / 7.
        var a = 0.5 / (Math.Sqrt(5.5 / 7) + 1e-4);
        AssertClose([a, -a, -a, a, 0, 0, 0, 0], result.Advantages);
    }

    [Fact]
    public void No_scaling_only_subtracts_the_group_mean()
    {
        var result = GroupAdvantages.Compute([3, 1, 2, 2, 5, 5], 2, RewardScaling.None);
        AssertClose([1, -1, 0, 0, 0, 0], result.Advantages);
        Assert.Equal([false, true, true], result.ZeroStdGroups);
    }

    [Fact]
    public void Rewards_that_do_not_fill_whole_groups_or_are_not_finite_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1, 2, 3], 2, RewardScaling.Group));
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1, double.NaN], 2, RewardScaling.Group));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupAdvantages.Compute([1], 1, RewardScaling.Group));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-9, $"advantage {i}: expected {expected[i]}, got {actual[i]}");
    }
}
