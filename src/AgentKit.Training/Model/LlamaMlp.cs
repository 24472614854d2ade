using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>HF <c>LlamaMLP</c>: <c>down(silu(gate(x)) * up(x))</c>.</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    public LlamaMlp(LlamaConfig config) : base(nameof(LlamaMlp))
    {
        GateProj = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        UpProj = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        DownProj = new AdaptableLinear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        register_module("gate_proj", GateProj);
        register_module("up_proj", UpProj);
        register_module("down_proj", DownProj);
    }

    public AdaptableLinear GateProj { get; }
    public AdaptableLinear UpProj { get; }
    public AdaptableLinear DownProj { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(GateProj.forward(x)) * UpProj.forward(x);
        return DownProj.forward(hidden).MoveToOuterDisposeScope();
    }

    // Submodules and parameters are registered explicitly under their HF names; TorchSharp's reflection-based
    // registration would add each again under its C# field name.
    protected override void RegisterComponents()
    {
    }
}
