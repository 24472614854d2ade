using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>HF <c>LlamaModel</c>: embedding, decoder layers, final norm (registered as <c>model.*</c>).</summary>
internal sealed class LlamaModel : nn.Module
{
    private readonly LlamaConfig _config;

    public LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        _config = config;
        EmbedTokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        Layers = nn.ModuleList<LlamaDecoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new LlamaDecoderLayer(config))]);
        Norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("embed_tokens", EmbedTokens);
        register_module("layers", Layers);
        register_module("norm", Norm);
    }

    public Embedding EmbedTokens { get; }
    public ModuleList<LlamaDecoderLayer> Layers { get; }
    public RmsNorm Norm { get; }

    public Tensor Forward(Tensor inputIds, Tensor positions, Tensor? mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = RotaryEmbedding.Tables(positions, _config.HeadDim, _config.RopeTheta);
        var h = EmbedTokens.forward(inputIds);
        for (var i = 0; i < Layers.Count; i++)
            h = Layers[i].Forward(h, cos, sin, mask, cache, i);
        return Norm.forward(h).MoveToOuterDisposeScope();
    }

    // Submodules and parameters are registered explicitly under their HF names; TorchSharp's reflection-based
    // registration would add each again under its C# field name.
    protected override void RegisterComponents()
    {
    }
}
