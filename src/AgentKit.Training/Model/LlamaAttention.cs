using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>HF <c>LlamaAttention</c>/<c>Qwen2Attention</c>: GQA by repeating K/V heads, RoPE on Q and K.</summary>
internal sealed class LlamaAttention : nn.Module
{
    private readonly LlamaConfig _config;

    public LlamaAttention(LlamaConfig config) : base(nameof(LlamaAttention))
    {
        _config = config;
        long d = config.HiddenSize, kv = (long)config.NumKeyValueHeads * config.HeadDim;
        QProj = new AdaptableLinear(d, d, config.HasQkvBias);
        KProj = new AdaptableLinear(d, kv, config.HasQkvBias);
        VProj = new AdaptableLinear(d, kv, config.HasQkvBias);
        OProj = new AdaptableLinear(d, d, hasBias: false);
        register_module("q_proj", QProj);
        register_module("k_proj", KProj);
        register_module("v_proj", VProj);
        register_module("o_proj", OProj);
    }

    public AdaptableLinear QProj { get; }
    public AdaptableLinear KProj { get; }
    public AdaptableLinear VProj { get; }
    public AdaptableLinear OProj { get; }

    /// <param name="x">[B, T, D].</param>
    /// <param name="cos">RoPE table [B, 1, T, headDim].</param>
    /// <param name="sin">RoPE table [B, 1, T, headDim].</param>
    /// <param name="mask">Boolean [B, 1, T, S] (true = attend), or null for plain causal attention.</param>
    /// <param name="cache">Cache to extend (generation), or null.</param>
    /// <param name="layer">Index of this layer in the cache.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        int h = _config.NumAttentionHeads, kvh = _config.NumKeyValueHeads, hd = _config.HeadDim;
        var q = QProj.forward(x).view(b, t, h, hd).transpose(1, 2);
        var k = KProj.forward(x).view(b, t, kvh, hd).transpose(1, 2);
        var v = VProj.forward(x).view(b, t, kvh, hd).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null)
            (k, v) = cache.Append(layer, k, v);
        if (h != kvh)
        {
            // HF repeat_kv: head j of the queries reads kv head j / (h / kvh).
            k = k.repeat_interleave(h / kvh, 1);
            v = v.repeat_interleave(h / kvh, 1);
        }
        var causal = mask is null && t > 1;
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0.0, causal);
        var merged = attended.transpose(1, 2).contiguous().view(b, t, h * hd);
        return OProj.forward(merged).MoveToOuterDisposeScope();
    }

    // Submodules and parameters are registered explicitly under their HF names; TorchSharp's reflection-based
    // registration would add each again under its C# field name.
    protected override void RegisterComponents()
    {
    }
}
