using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Sft;

/// <summary>
/// Weighted next-token cross-entropy computed over the vocabulary a chunk of rows at a time, so the full
/// [tokens, vocab] logits tensor never exists (the Cut Cross-Entropy idea). The gradient of each chunk is
/// computed directly — <c>(softmax − onehot) · w</c> — and handed to autograd through a surrogate whose
/// gradient equals it, so backward memory is O(tokens × hidden), not O(tokens × vocab).
/// </summary>
public static class ChunkedCrossEntropy
{
    /// <summary>
    /// Returns the mean loss over weighted tokens and a surrogate scalar to call <c>backward()</c> on.
    /// Rows with weight 0 are skipped entirely.
    /// </summary>
    /// <param name="hidden">Final hidden states [N, D] (requires grad when training).</param>
    /// <param name="outputWeight">The [V, D] output projection.</param>
    /// <param name="targets">Target ids [N].</param>
    /// <param name="weights">Loss weight per row [N].</param>
    /// <param name="chunkRows">Rows per chunk (memory is chunkRows × V floats).</param>
    /// <param name="computeGradients">False for evaluation: only the loss is computed.</param>
    public static (double Loss, double WeightSum, Tensor? Surrogate) Compute(Tensor hidden, Tensor outputWeight, Tensor targets, Tensor weights,
        int chunkRows, bool computeGradients)
    {
        if (chunkRows < 1)
            throw new ArgumentOutOfRangeException(nameof(chunkRows), "chunkRows must be >= 1.");
        using var scope = NewDisposeScope();
        var selected = TensorOps.Gt(weights, 0).nonzero().squeeze(1);
        var n = selected.shape[0];
        if (n == 0)
            return (0, 0, null);
        var h = hidden.index_select(0, selected);
        var t = targets.index_select(0, selected);
        var w = weights.index_select(0, selected);
        var weightSum = w.sum().item<float>();
        var needWeightGrad = computeGradients && outputWeight.requires_grad;
        Tensor gradH, gradW;
        double lossSum = 0;
        using (no_grad())
        {
            var hd = h.detach();
            var wd = outputWeight.detach();
            gradH = computeGradients ? zeros_like(hd) : empty(0);
            gradW = needWeightGrad ? zeros_like(wd) : empty(0);
            for (long start = 0; start < n; start += chunkRows)
            {
                using var chunkScope = NewDisposeScope();
                var len = Math.Min(chunkRows, n - start);
                var hc = hd.narrow(0, start, len);
                var tc = t.narrow(0, start, len);
                var wc = w.narrow(0, start, len);
                var logits = matmul(hc, wd.t());
                var lse = logits.logsumexp(1);
                var target = logits.gather(1, tc.unsqueeze(1)).squeeze(1);
                lossSum += ((lse - target) * wc).sum().item<float>();
                if (!computeGradients)
                    continue;
                var grad = (logits - lse.unsqueeze(1)).exp_();
                grad.scatter_add_(1, tc.unsqueeze(1), TensorOps.Full([len, 1], -1f, hd.device));
                grad.mul_(TensorOps.Div(wc, weightSum).unsqueeze(1));
                gradH.narrow(0, start, len).copy_(matmul(grad, wd));
                if (needWeightGrad)
                    TensorOps.AddInPlace(gradW, matmul(grad.t(), hc));
            }
        }
        Tensor? surrogate = null;
        if (computeGradients)
        {
            surrogate = (h * gradH).sum();
            if (needWeightGrad)
                surrogate = TensorOps.Add(surrogate, (outputWeight * gradW).sum());
            surrogate = surrogate.MoveToOuterDisposeScope();
        }
        return (lossSum / weightSum, weightSum, surrogate);
    }
}
