using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>HF <c>LlamaDecoderLayer</c>: pre-norm attention and MLP, each with a residual connection.</summary>
internal sealed class LlamaDecoderLayer : nn.Module
{
    public LlamaDecoderLayer(LlamaConfig config) : base(nameof(LlamaDecoderLayer))
    {
        SelfAttn = new LlamaAttention(config);
        Mlp = new LlamaMlp(config);
        InputLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        PostAttentionLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("self_attn", SelfAttn);
        register_module("mlp", Mlp);
        register_module("input_layernorm", InputLayerNorm);
        register_module("post_attention_layernorm", PostAttentionLayerNorm);
    }

    public LlamaAttention SelfAttn { get; }
    public LlamaMlp Mlp { get; }
    public RmsNorm InputLayerNorm { get; }
    public RmsNorm PostAttentionLayerNorm { get; }

    public IEnumerable<AdaptableLinear> Linears() =>
        [SelfAttn.QProj, SelfAttn.KProj, SelfAttn.VProj, SelfAttn.OProj, Mlp.GateProj, Mlp.UpProj, Mlp.DownProj];

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = TensorOps.Add(x, SelfAttn.Forward(InputLayerNorm.forward(x), cos, sin, mask, cache, layer));
        return TensorOps.Add(h, Mlp.forward(PostAttentionLayerNorm.forward(h))).MoveToOuterDisposeScope();
    }

    // Submodules and parameters are registered explicitly under their HF names; TorchSharp's reflection-based
    // registration would add each again under its C# field name.
    protected override void RegisterComponents()
    {
    }
}
