using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>
/// Rotary position embedding in the HF "rotate half" convention: the head vector's first and second halves
/// form the (real, imaginary) pairs. llama.cpp's llama arch pairs adjacent elements instead, which is why the
/// GGUF exporter permutes Q/K rows.
/// </summary>
internal static class RotaryEmbedding
{
    /// <summary>cos and sin tables of shape [B, 1, T, headDim] for the given positions [B, T].</summary>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positions, int headDim, double theta)
    {
        using var scope = NewDisposeScope();
        var invFreq = pow(theta, TensorOps.Div(TensorOps.Arange(0, headDim, 2, ScalarType.Float64, positions.device), headDim)).reciprocal();
        var freqs = positions.to_type(ScalarType.Float64).unsqueeze(-1) * invFreq; // [B, T, d/2]
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to_type(ScalarType.Float32).unsqueeze(1);
        var sin = emb.sin().to_type(ScalarType.Float32).unsqueeze(1);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Applies the rotation to x [B, H, T, headDim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([-x2, x1], -1);
        return TensorOps.Add(x * cos, rotated * sin).MoveToOuterDisposeScope();
    }
}
