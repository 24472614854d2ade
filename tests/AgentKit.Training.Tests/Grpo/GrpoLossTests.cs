using AgentKit.Training.Grpo;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Grpo;

/// <summary>
/// Two sequences of three tokens. Sequence 0 (advantage +1) has ratios 1, 1.5, 0.5 and all tokens trained; sequence 1
/// (advantage −2) has ratios 1.1, 0.7, 1 with its first token masked. ε = 0.2, ε_high = 0.28. Per token
/// −min(r·A, clip(r)·A): sequence 0 → −1, −1.28 (clipped high), −0.5 (sum −2.78); sequence 1 → [2.2 masked], 1.6 (clipped
/// low), 2 (sum 3.6). Five trained tokens.
/// </summary>
public sealed class GrpoLossTests
{
    private const double Eps = 0.2;
    private const double EpsHigh = 0.28;

    private static (Tensor LogProbs, Tensor Old, Tensor Advantages, Tensor Mask) Inputs()
    {
        var old = tensor(new float[] { -1f, -1.5f, -1f, -1.2f, -0.5f, -1f }, [2, 3]);
        var logRatio = tensor(new[] { 0f, MathF.Log(1.5f), MathF.Log(0.5f), MathF.Log(1.1f), MathF.Log(0.7f), 0f }, [2, 3]);
        var logProbs = (old + logRatio).detach().requires_grad_(true);
        return (logProbs, old, tensor(new[] { 1f, -2f }), tensor(new float[] { 1, 1, 1, 0, 1, 1 }, [2, 3]));
    }

    [Theory]
    [InlineData(GrpoLossType.Dapo, (-2.78 + 3.6) / 5)]
    [InlineData(GrpoLossType.Grpo, (-2.78 / 3 + 3.6 / 2) / 2)]
    [InlineData(GrpoLossType.DrGrpo, (-2.78 + 3.6) / (2 * 4))]
    public void Each_loss_type_normalises_the_clipped_objective_as_defined(GrpoLossType type, double expected)
    {
        var (logProbs, old, advantages, mask) = Inputs();
        var (loss, stats) = GrpoLoss.Compute(logProbs, old, null, advantages, mask, Eps, EpsHigh, 0, new LossNormalizer(type, 2, 5, 4));
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Equal(new PolicyLossStats(5, 1, 1, 0), stats);
    }

    [Fact]
    public void Clipped_and_masked_tokens_get_no_gradient_and_the_rest_get_minus_advantage_times_ratio()
    {
        var (logProbs, old, advantages, mask) = Inputs();
        var (loss, _) = GrpoLoss.Compute(logProbs, old, null, advantages, mask, Eps, EpsHigh, 0, new LossNormalizer(GrpoLossType.Dapo, 2, 5, 4));
        loss.backward();
        // d/dlogp of −r·A is −A·r; divided by the 5 tokens. Token (0,1) is clipped high, (1,1) clipped low, (1,0) masked.
        float[] expected = [-1f / 5, 0, -0.5f / 5, 0, 0, 2f / 5];
        var grad = logProbs.grad!.data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - grad[i]) < 1e-6, $"gradient {i}: expected {expected[i]}, got {grad[i]}");
    }

    [Fact]
    public void Kl_term_adds_beta_times_the_k3_estimate_of_trained_tokens()
    {
        var (logProbs, old, advantages, mask) = Inputs();
        // ref − logp per token; the masked one (1.0) must not count.
        var delta = tensor(new[] { 0f, 0.5f, -0.5f, 1f, 0f, 0.2f }, [2, 3]);
        var reference = (logProbs.detach() + delta).detach();
        var (loss, stats) = GrpoLoss.Compute(logProbs, old, reference, advantages, mask, Eps, EpsHigh, 0.1, new LossNormalizer(GrpoLossType.Dapo, 2, 5, 4));
        // k3 = e^d − d − 1: 0, e^0.5 − 1.5, e^−0.5 − 0.5, [masked], 0, e^0.2 − 1.2.
        var klSum = Math.Exp(0.5) - 1.5 + Math.Exp(-0.5) - 0.5 + Math.Exp(0.2) - 1.2;
        Assert.Equal(klSum, stats.KlSum, 5);
        Assert.Equal((0.82 + 0.1 * klSum) / 5, loss.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => GrpoLoss.Compute(logProbs, old, null, advantages, mask, Eps, EpsHigh, 0.1, new LossNormalizer(GrpoLossType.Dapo, 2, 5, 4)));
    }

    [Fact]
    public void Ratio_of_one_gives_minus_mean_advantage_and_its_gradient_is_the_policy_gradient()
    {
        // num_iterations = 1: old = current (detached), so the loss value is −mean(A) over tokens and d/dlogp = −A / N.
        var logProbs = tensor(new[] { -0.3f, -2f, -1f, -0.1f }, [2, 2]).requires_grad_(true);
        var mask = ones(2, 2);
        var (loss, stats) = GrpoLoss.Compute(logProbs, logProbs.detach(), null, tensor(new[] { 0.5f, -1.5f }), mask, Eps, Eps, 0, new LossNormalizer(GrpoLossType.Dapo, 2, 4, 2));
        Assert.Equal(-(0.5 + 0.5 - 1.5 - 1.5) / 4, loss.item<float>(), 6);
        loss.backward();
        Assert.Equal([-0.125f, -0.125f, 0.375f, 0.375f], logProbs.grad!.data<float>().ToArray());
        Assert.Equal(0, stats.LowClipped + stats.HighClipped);
    }

    [Theory]
    [InlineData(GrpoLossType.Dapo)]
    [InlineData(GrpoLossType.Grpo)]
    [InlineData(GrpoLossType.DrGrpo)]
    public void Micro_batches_sum_to_the_loss_of_the_whole_batch(GrpoLossType type)
    {
        var (logProbs, old, advantages, mask) = Inputs();
        var normalizer = new LossNormalizer(type, 2, 5, 4);
        var (whole, _) = GrpoLoss.Compute(logProbs, old, null, advantages, mask, Eps, EpsHigh, 0, normalizer);
        var (first, _) = GrpoLoss.Compute(logProbs[..1], old[..1], null, advantages[..1], mask[..1], Eps, EpsHigh, 0, normalizer);
        var (second, _) = GrpoLoss.Compute(logProbs[1..], old[1..], null, advantages[1..], mask[1..], Eps, EpsHigh, 0, normalizer);
        Assert.Equal(whole.item<float>(), first.item<float>() + second.item<float>(), 5);
    }
}
