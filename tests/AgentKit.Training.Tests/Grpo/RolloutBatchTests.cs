using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Grpo;

public sealed class RolloutBatchTests
{
    private static readonly TrajectoryTask Task = new("t1", "q?", "a");

    // An agent-style sequence: prompt (10, 11), action (12, 13), observation (14, 15), action (16).
    private static Rollout AgentRollout(bool truncated = false) => new()
    {
        Task = Task,
        TokenIds = [10, 11, 12, 13, 14, 15, 16],
        PolicyMask = [false, false, true, true, false, false, true],
        SamplingLogProbs = [0, 0, -0.5f, -0.25f, 0, 0, -2f],
        Truncated = truncated,
    };

    private static Rollout Short(bool truncated) => new()
    {
        Task = Task, TokenIds = [20, 21, 22], PolicyMask = [false, true, true], SamplingLogProbs = [0, -1f, -1.5f], Truncated = truncated,
    };

    [Fact]
    public void Only_tokens_the_policy_generated_are_trained_and_padding_is_not()
    {
        using var batch = RolloutBatch.Build([AgentRollout(), Short(truncated: false)], maskTruncated: false, padId: 0);
        Assert.Equal([2L, 6], batch.Inputs.shape);
        Assert.Equal([10L, 11, 12, 13, 14, 15, 20, 21, 0, 0, 0, 0], batch.Inputs.data<long>().ToArray());
        Assert.Equal([11L, 12, 13, 14, 15, 16, 21, 22, 0, 0, 0, 0], batch.Targets.data<long>().ToArray());
        Assert.Equal([0f, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0], batch.Mask.data<float>().ToArray());
        Assert.Equal([0f, -0.5f, -0.25f, 0, 0, -2f, -1f, -1.5f, 0, 0, 0, 0], batch.SamplingLogProbs.data<float>().ToArray());
        Assert.Equal(10, batch.TokenCount);
    }

    [Fact]
    public void Truncated_completions_are_left_out_only_when_asked()
    {
        using var kept = RolloutBatch.Build([AgentRollout(truncated: true), Short(truncated: false)], maskTruncated: false);
        Assert.Equal(5f, kept.Mask.sum().item<float>());
        using var masked = RolloutBatch.Build([AgentRollout(truncated: true), Short(truncated: false)], maskTruncated: true);
        Assert.Equal([0f, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0], masked.Mask.data<float>().ToArray());
    }

    [Fact]
    public void Inconsistent_rollouts_are_refused_with_the_task_named()
    {
        var bad = AgentRollout() with { PolicyMask = [true, false, true, true, false, false, true] };
        Assert.Contains("'t1'", Assert.Throws<ArgumentException>(() => RolloutBatch.Build([bad], false)).Message);
        var uneven = AgentRollout() with { SamplingLogProbs = [0, 0] };
        Assert.Throws<ArgumentException>(() => RolloutBatch.Build([uneven], false));
    }

    [Fact]
    public void Policy_log_probs_equal_the_full_softmax_at_trained_tokens_and_zero_elsewhere()
    {
        using var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: 64), seed: 4);
        model.eval();
        using var batch = RolloutBatch.Build([AgentRollout(), Short(truncated: false)], maskTruncated: false);
        var (logProbs, entropy) = PolicyLogProbs.Compute(model, batch.Inputs, batch.Targets, batch.Mask, temperature: 0.5f);

        using var full = (model.Logits(batch.Inputs) / 0.5).log_softmax(-1);
        using var expected = full.gather(2, batch.Targets.unsqueeze(2)).squeeze(2) * batch.Mask;
        Assert.True(logProbs.allclose(expected, rtol: 1e-4, atol: 1e-5));
        using var expectedEntropy = -(full.exp() * full).sum(2) * batch.Mask;
        Assert.Equal(expectedEntropy.sum().item<float>(), entropy, 3);

        // Gradients reach the model only through trained positions.
        logProbs.sum().backward();
        Assert.True(model.OutputWeight.grad!.abs().sum().item<float>() > 0);
    }
}
