using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests.Grpo;

public sealed class PolicyRolloutSourceTests
{
    [Fact]
    public async Task A_group_carries_the_prompt_unmasked_the_completion_masked_in_and_log_probs_the_loss_reproduces()
    {
        var tokenizer = ToyTask.Tokenizer;
        using var model = ToyTask.NewModel(seed: 5);
        var imEnd = tokenizer.SpecialTokenId(ChatFormat.ImEnd)!.Value;
        // A tenth of the vocabulary ends a completion, so some stop by themselves (keeping the stop token) and some are cut.
        int[] stops = [imEnd, .. Enumerable.Range(60, 39)];
        var source = new PolicyRolloutSource(tokenizer, stopTokenIds: stops);
        var task = new TrajectoryTask("t", "hello", "x");
        var group = await source.SampleGroupAsync(new RolloutRequest(model, task, 8, 10, 0.7f, 1f, 3));
        var again = await source.SampleGroupAsync(new RolloutRequest(model, task, 8, 10, 0.7f, 1f, 3));
        Assert.Equal(group.Select(r => string.Join(',', r.TokenIds)), again.Select(r => string.Join(',', r.TokenIds)));

        var promptLength = tokenizer.Encode(ChatFormat.Render([("user", "hello")], addGenerationPrompt: true)).Count;
        foreach (var r in group)
        {
            Assert.All(r.PolicyMask.Take(promptLength), m => Assert.False(m));
            Assert.All(r.PolicyMask.Skip(promptLength), m => Assert.True(m));
            Assert.Equal(r.Truncated, r.PolicyTokenCount == 10 && !stops.Contains(r.TokenIds[^1]));
        }
        Assert.Contains(group, r => !r.Truncated);
        Assert.Contains(group, r => r.Truncated);

        // The KV-cached sampler's log-probs equal a full forward pass over the finished sequences.
        model.eval();
        using var batch = RolloutBatch.Build(group, maskTruncated: false);
        var (recomputed, _) = PolicyLogProbs.Compute(model, batch.Inputs, batch.Targets, batch.Mask, 0.7f);
        Assert.True(recomputed.allclose(batch.SamplingLogProbs, rtol: 1e-3, atol: 1e-4));
    }
}
