using AgentKit.Training.Grpo;

namespace AgentKit.Training.Tests.Grpo;

public sealed class PolicyUpdateTests
{
    [Fact]
    public void Without_a_token_budget_the_batch_splits_into_contiguous_parts()
    {
        var parts = PolicyUpdate.MicroBatches([5, 9, 3, 7, 1], parts: 2, tokenBudget: 0);
        Assert.Equal([[0, 1], [2, 3, 4]], parts);
    }

    [Fact]
    public void A_token_budget_packs_rollouts_longest_first_within_the_padded_size()
    {
        // Longest first: 50, 50 (2 × 50 = 100 fits; a third row would pad to 150), then 20, 10, 5 padded to 20 (60).
        var packs = PolicyUpdate.MicroBatches([10, 50, 20, 50, 5], parts: 1, tokenBudget: 100);
        Assert.Equal([[1, 3], [2, 0, 4]], packs);
    }

    [Fact]
    public void A_rollout_longer_than_the_budget_gets_a_micro_batch_of_its_own_and_none_is_lost()
    {
        var lengths = new[] { 30, 300, 12, 30, 250, 7 };
        var packs = PolicyUpdate.MicroBatches(lengths, parts: 1, tokenBudget: 64);
        Assert.Equal([1], packs[0]);
        Assert.Equal([4], packs[1]);
        Assert.Equal(Enumerable.Range(0, lengths.Length), packs.SelectMany(p => p).Order());
        Assert.All(packs.Where(p => p.Length > 1), p => Assert.True(lengths[p[0]] * p.Length <= 64, $"pack [{string.Join(',', p)}] over the budget"));
    }
}
