using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Grpo;

/// <summary>
/// Per-token log-probabilities of a batch's targets under a model, with logits divided by the sampling temperature
/// (as TRL does). Only the trained positions are projected to the vocabulary: prompts and observations, usually most of
/// the sequence, cost the transformer pass and nothing more.
/// </summary>
public static class PolicyLogProbs
{
    /// <summary>
    /// Log-probs [B, T] of <paramref name="targets"/> (0 where <paramref name="mask"/> is 0), with gradients when grad mode
    /// is on, and the summed entropy of the trained positions' distributions (no gradients).
    /// </summary>
    /// <param name="model">The policy or reference model.</param>
    /// <param name="inputs">Input ids [B, T].</param>
    /// <param name="targets">Target ids [B, T].</param>
    /// <param name="mask">1 at trained positions [B, T].</param>
    /// <param name="temperature">Sampling temperature the logits are divided by.</param>
    public static (Tensor LogProbs, double EntropySum) Compute(LlamaForCausalLM model, Tensor inputs, Tensor targets, Tensor mask, float temperature)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var positions = TensorOps.Gt(mask.reshape(-1), 0).nonzero().squeeze(1);
        var flat = zeros(mask.numel(), dtype: ScalarType.Float32, device: mask.device);
        if (positions.shape[0] == 0)
            return (flat.view(mask.shape).MoveToOuterDisposeScope(), 0);
        var hidden = model.Hidden(inputs);
        var selected = hidden.reshape(-1, model.Config.HiddenSize).index_select(0, positions);
        var logSoftmax = TensorOps.Div(model.ProjectToVocabulary(selected), temperature).log_softmax(-1);
        var chosen = logSoftmax.gather(1, targets.reshape(-1).index_select(0, positions).unsqueeze(1)).squeeze(1);
        double entropy;
        using (no_grad())
            entropy = -(logSoftmax.detach().exp() * logSoftmax.detach()).sum().item<float>();
        return (flat.index_copy(0, positions, chosen).view(mask.shape).MoveToOuterDisposeScope(), entropy);
    }
}
