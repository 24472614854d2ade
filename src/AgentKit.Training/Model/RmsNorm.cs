using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>HF <c>LlamaRMSNorm</c>: <c>x / sqrt(mean(x²) + eps) * weight</c>, computed in float32.</summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly double _eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        _eps = eps;
        _weight = new Parameter(ones(size));
        register_parameter("weight", _weight);
    }

    public Parameter Weight => _weight;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32);
        var variance = TensorOps.Pow(x, 2).mean([-1L], keepdim: true);
        var normed = x * rsqrt(TensorOps.Add(variance, _eps));
        return (_weight * normed.to_type(input.dtype)).MoveToOuterDisposeScope();
    }

    // Submodules and parameters are registered explicitly under their HF names; TorchSharp's reflection-based
    // registration would add each again under its C# field name.
    protected override void RegisterComponents()
    {
    }
}
