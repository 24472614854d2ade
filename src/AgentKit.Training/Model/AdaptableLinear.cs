using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>
/// A linear layer with HF parameter names (<c>weight</c> [out, in], optional <c>bias</c>) that can carry a LoRA
/// adapter under PEFT's names (<c>lora_A.weight</c> [r, in], <c>lora_B.weight</c> [out, r]).
/// </summary>
internal sealed class AdaptableLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter? _bias;
    private Linear? _loraA;
    private Linear? _loraB;
    private Dropout? _loraDropout;
    private double _scaling;

    public AdaptableLinear(long inFeatures, long outFeatures, bool hasBias) : base(nameof(AdaptableLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        // Same initialisation as torch.nn.Linear: U(-1/sqrt(in), 1/sqrt(in)).
        var bound = 1.0 / Math.Sqrt(inFeatures);
        _weight = new Parameter(empty(outFeatures, inFeatures).uniform_(-bound, bound));
        register_parameter("weight", _weight);
        if (hasBias)
        {
            _bias = new Parameter(empty(outFeatures).uniform_(-bound, bound));
            register_parameter("bias", _bias);
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Weight => _weight;
    public Parameter? Bias => _bias;
    public bool HasAdapter => _loraA is not null;

    /// <summary>False while the adapter is bypassed (the base model's output), e.g. to use the base as a frozen reference.</summary>
    public bool AdapterEnabled { get; set; } = true;
    public Parameter? LoraA => _loraA?.weight;
    public Parameter? LoraB => _loraB?.weight;

    /// <summary>Adds a fresh adapter (A random, B zero) of the given rank.</summary>
    public void AddAdapter(int rank, double scaling, double dropout, Generator? generator = null)
    {
        if (_loraA is not null)
            throw new InvalidOperationException("This layer already has a LoRA adapter.");
        _loraA = nn.Linear(InFeatures, rank, hasBias: false);
        _loraB = nn.Linear(rank, OutFeatures, hasBias: false);
        using (no_grad())
        {
            // PEFT's default: A ~ kaiming-uniform(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)); B = 0.
            var bound = 1.0 / Math.Sqrt(InFeatures);
            _loraA.weight!.uniform_(-bound, bound, generator);
            _loraB.weight!.zero_();
        }
        _loraDropout = nn.Dropout(dropout);
        // New modules start in training mode; an adapter added to a model already in eval mode must not drop out.
        _loraA.train(training);
        _loraB.train(training);
        _loraDropout.train(training);
        _scaling = scaling;
        register_module("lora_A", _loraA);
        register_module("lora_B", _loraB);
        register_module("lora_dropout", _loraDropout);
    }

    /// <summary>Folds <c>scaling · B A</c> into <c>weight</c> and removes the adapter.</summary>
    public void MergeAdapter()
    {
        if (_loraA is null || _loraB is null)
            return;
        using (no_grad())
        using (NewDisposeScope())
            TensorOps.AddInPlace(_weight, TensorOps.Mul(matmul(_loraB.weight!, _loraA.weight!), _scaling));
        _loraA.Dispose();
        _loraB.Dispose();
        _loraDropout?.Dispose();
        _loraA = null;
        _loraB = null;
        _loraDropout = null;
        // Remove the submodules from the registry so state_dict no longer lists them.
        RemoveAdapterModules();
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input, _weight, _bias);
        if (_loraA is null || _loraB is null || !AdapterEnabled)
            return output;
        using var scope = NewDisposeScope();
        var update = TensorOps.Mul(_loraB.forward(_loraA.forward(_loraDropout!.forward(input))), _scaling);
        return TensorOps.Add(output, update).MoveToOuterDisposeScope();
    }

    private void RemoveAdapterModules()
    {
        // TorchSharp keeps registered modules in a name->module map; re-registering is not possible, so the
        // registry entries are dropped through the protected collection.
        foreach (var name in new[] { "lora_A", "lora_B", "lora_dropout" })
            _internal_submodules.Remove(name);
    }

    // Submodules and parameters are registered explicitly under their HF names; TorchSharp's reflection-based
    // registration would add each again under its C# field name.
    protected override void RegisterComponents()
    {
    }
}
