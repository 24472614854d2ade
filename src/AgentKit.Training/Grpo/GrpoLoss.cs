using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Grpo;

/// <summary>
/// The whole rollout batch's sizes that the loss divides by, so a batch split into micro-batches (gradient
/// accumulation) sums to exactly the loss of the batch taken at once.
/// </summary>
/// <param name="LossType">Which normalisation.</param>
/// <param name="Sequences">Completions in the whole batch.</param>
/// <param name="Tokens">Trained (mask 1) tokens in the whole batch.</param>
/// <param name="MaxCompletionLength">The configured completion limit (the constant of <see cref="GrpoLossType.DrGrpo"/>).</param>
public sealed record LossNormalizer(GrpoLossType LossType, int Sequences, double Tokens, int MaxCompletionLength);

/// <summary>Token counts behind the clip and KL metrics of one micro-batch (sums, so micro-batches add up).</summary>
/// <param name="Tokens">Trained tokens.</param>
/// <param name="LowClipped">Tokens whose ratio fell below <c>1 − ε</c> with a negative advantage (the clip held the loss).</param>
/// <param name="HighClipped">Tokens whose ratio rose above <c>1 + ε_high</c> with a positive advantage.</param>
/// <param name="KlSum">Sum of the per-token KL estimates (0 without a reference).</param>
public sealed record PolicyLossStats(double Tokens, double LowClipped, double HighClipped, double KlSum);

/// <summary>
/// GRPO's clipped policy-ratio objective with an optional KL penalty, written after TRL's <c>GRPOTrainer._compute_loss</c>:
/// per token <c>−min(r·A, clip(r, 1−ε, 1+ε_high)·A) + β·KL</c> with <c>r = exp(logp − logp_old)</c> and the k3 estimator
/// <c>KL = exp(ref − logp) − (ref − logp) − 1</c>, masked to the tokens the policy generated, then normalised by
/// <see cref="GrpoLossType"/>.
/// </summary>
public static class GrpoLoss
{
    /// <summary>The loss of one micro-batch (its share of the whole batch's loss) and its metric counts.</summary>
    /// <param name="logProbs">Current per-token log-probs [B, T] (with gradients).</param>
    /// <param name="oldLogProbs">Log-probs of the policy that sampled the batch [B, T] (no gradients).</param>
    /// <param name="referenceLogProbs">Log-probs of the frozen reference [B, T], or null when β is 0.</param>
    /// <param name="advantages">One advantage per sequence [B].</param>
    /// <param name="mask">1 for trained tokens, 0 elsewhere [B, T].</param>
    /// <param name="epsilon">Lower clip ε.</param>
    /// <param name="epsilonHigh">Upper clip ε_high.</param>
    /// <param name="beta">KL weight β.</param>
    /// <param name="normalizer">The whole batch's sizes.</param>
    public static (Tensor Loss, PolicyLossStats Stats) Compute(Tensor logProbs, Tensor oldLogProbs, Tensor? referenceLogProbs, Tensor advantages, Tensor mask,
        double epsilon, double epsilonHigh, double beta, LossNormalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        if (beta > 0 && referenceLogProbs is null)
            throw new ArgumentException("A KL penalty (beta > 0) needs the reference log-probs.");
        using var scope = NewDisposeScope();
        var a = advantages.unsqueeze(1);
        var ratio = (logProbs - oldLogProbs).exp();
        var clipped = TensorOps.Clamp(ratio, 1 - epsilon, 1 + epsilonHigh);
        var perToken = -minimum(ratio * a, clipped * a);
        Tensor? kl = null;
        if (beta > 0)
        {
            var delta = referenceLogProbs! - logProbs;
            kl = TensorOps.Sub(delta.exp() - delta, 1);
            perToken = TensorOps.Add(perToken, TensorOps.Mul(kl, beta));
        }
        var masked = perToken * mask;
        var loss = normalizer.LossType switch
        {
            GrpoLossType.Dapo => TensorOps.Div(masked.sum(), Math.Max(normalizer.Tokens, 1)),
            GrpoLossType.Grpo => TensorOps.Div((masked.sum(1) / TensorOps.ClampMin(mask.sum(1), 1)).sum(), normalizer.Sequences),
            GrpoLossType.DrGrpo => TensorOps.Div(masked.sum(), (double)normalizer.Sequences * normalizer.MaxCompletionLength),
            _ => throw new ArgumentOutOfRangeException(nameof(normalizer), normalizer.LossType, "Unknown loss type."),
        };
        using var noGrad = no_grad();
        var r = ratio.detach();
        var low = TensorOps.Lt(r, 1 - epsilon).logical_and(TensorOps.Lt(a, 0)).to_type(ScalarType.Float32) * mask;
        var high = TensorOps.Gt(r, 1 + epsilonHigh).logical_and(TensorOps.Gt(a, 0)).to_type(ScalarType.Float32) * mask;
        var stats = new PolicyLossStats(mask.sum().item<float>(), low.sum().item<float>(), high.sum().item<float>(),
            kl is null ? 0 : (kl.detach() * mask).sum().item<float>());
        return (loss.MoveToOuterDisposeScope(), stats);
    }
}
