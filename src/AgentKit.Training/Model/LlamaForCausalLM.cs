using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>
/// A Llama-family causal language model matching HF <c>LlamaForCausalLM</c> / <c>Qwen2ForCausalLM</c>, with
/// HF parameter names (<c>model.layers.0.self_attn.q_proj.weight</c>, …) so safetensors files load either way.
/// <see cref="Hidden"/> returns final hidden states; the loss projects them to the vocabulary in chunks.
/// </summary>
public sealed class LlamaForCausalLM : nn.Module
{
    private readonly LlamaModel _model;
    private readonly AdaptableLinear? _lmHead;

    /// <summary>Creates a model with HF's initialisation (normal(0, 0.02) weights, zero biases, unit norms).</summary>
    /// <param name="config">The shape; validated here.</param>
    /// <param name="seed">Seed for the initial weights; null leaves torch's global generator as is.</param>
    public LlamaForCausalLM(LlamaConfig config, long? seed = null) : base(nameof(LlamaForCausalLM))
    {
        Config = config.Validate();
        _model = new LlamaModel(config);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = new AdaptableLinear(config.HiddenSize, config.VocabSize, hasBias: false);
            register_module("lm_head", _lmHead);
        }
        InitialiseWeights(seed);
    }

    /// <summary>The model's shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>True while LoRA adapters are attached.</summary>
    public bool HasLora => Linears().Any(l => l.HasAdapter);

    /// <summary>The active LoRA settings, when adapters are attached.</summary>
    public LoraSettings? Lora { get; private set; }

    /// <summary>The [vocab, hidden] matrix that maps hidden states to logits (the embedding when tied).</summary>
    public Parameter OutputWeight => _lmHead?.Weight ?? _model.EmbedTokens.weight!;

    /// <summary>
    /// Final (normalised) hidden states [B, T, hidden] for token ids [B, T].
    /// </summary>
    /// <param name="inputIds">Token ids, int64 [B, T].</param>
    /// <param name="positions">Position of each token [B, T]; null means <c>cache length + 0..T-1</c>.</param>
    /// <param name="mask">Boolean attention mask [B, 1, T, S] (true = may attend); null means causal.</param>
    /// <param name="cache">KV cache to read and extend, for generation.</param>
    public Tensor Hidden(Tensor inputIds, Tensor? positions = null, Tensor? mask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        positions ??= TensorOps.Arange(past, past + inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0).expand(inputIds.shape[0], -1);
        if (mask is null && past > 0 && inputIds.shape[1] > 1)
            mask = CausalMaskWithPast(inputIds.shape[1], past, inputIds.device);
        return _model.Forward(inputIds, positions, mask, cache).MoveToOuterDisposeScope();
    }

    /// <summary>Logits [B, T, vocab] (materialises the full vocabulary projection: use for short inputs only).</summary>
    public Tensor Logits(Tensor inputIds, Tensor? positions = null, Tensor? mask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return ProjectToVocabulary(Hidden(inputIds, positions, mask, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>Maps hidden states [..., hidden] to logits [..., vocab].</summary>
    public Tensor ProjectToVocabulary(Tensor hidden) =>
        _lmHead is not null ? _lmHead.forward(hidden) : nn.functional.linear(hidden, OutputWeight);

    /// <summary>An empty KV cache sized for this model.</summary>
    public KvCache NewCache() => new(Config.NumHiddenLayers);

    /// <summary>
    /// Attaches LoRA adapters to the target projections of every layer (or of <see cref="LoraSettings.LayersToTransform"/>) and freezes all other parameters,
    /// so only adapter weights train.
    /// </summary>
    /// <param name="settings">Rank, alpha, dropout and target modules.</param>
    /// <param name="seed">Seed of the A matrices' initialisation; null uses torch's global generator.</param>
    public void AddLora(LoraSettings settings, long? seed = null)
    {
        settings.Validate();
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        if (HasLora)
            throw new InvalidOperationException("LoRA adapters are already attached; merge them first.");
        if (settings.LayersToTransform?.Where(l => l >= Config.NumHiddenLayers).ToList() is { Count: > 0 } outside)
            throw new ArgumentException($"LoRA layer(s) {string.Join(", ", outside)} do not exist: the model has {Config.NumHiddenLayers} layer(s).");
        foreach (var linear in NamedLinears().Where(p => settings.Adapts(p.Layer, p.Short)).Select(p => p.Linear))
            linear.AddAdapter(settings.Rank, settings.Scaling, settings.Dropout, generator);
        foreach (var (name, parameter) in named_parameters())
            parameter.requires_grad = name.Contains(".lora_A.") || name.Contains(".lora_B.");
        Lora = settings;
    }

    /// <summary>Folds the adapters into the base weights (<c>W += alpha/r · B A</c>) and unfreezes everything.</summary>
    public void MergeLora()
    {
        foreach (var linear in Linears())
            linear.MergeAdapter();
        foreach (var parameter in parameters())
            parameter.requires_grad = true;
        Lora = null;
    }

    /// <summary>
    /// Bypasses every LoRA adapter until the returned scope is disposed, so the model computes as its base: with LoRA,
    /// the starting policy serves as a frozen reference without a second copy of the weights.
    /// </summary>
    public IDisposable DisableAdapters()
    {
        var linears = Linears().Where(l => l.HasAdapter && l.AdapterEnabled).ToList();
        foreach (var linear in linears)
            linear.AdapterEnabled = false;
        return new AdapterScope(linears);
    }

    /// <summary>Parameters that will be trained (all, or only the adapters under LoRA).</summary>
    public IReadOnlyList<Parameter> TrainableParameters() => [.. parameters().Where(p => p.requires_grad)];

    /// <summary>Boolean mask [1, 1, T, past + T] for T new tokens after <paramref name="past"/> cached ones.</summary>
    public static Tensor CausalMaskWithPast(long newTokens, long past, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var rows = TensorOps.Add(TensorOps.Arange(0, newTokens, device: device).unsqueeze(1), past);
        var cols = TensorOps.Arange(0, past + newTokens, device: device).unsqueeze(0);
        return (cols <= rows).unsqueeze(0).unsqueeze(0).MoveToOuterDisposeScope();
    }

    internal IEnumerable<AdaptableLinear> Linears() =>
        _model.Layers.SelectMany(l => l.Linears()).Concat(_lmHead is null ? [] : [_lmHead]);

    internal IEnumerable<(string Name, int Layer, string Short, AdaptableLinear Linear)> NamedLinears()
    {
        for (var i = 0; i < _model.Layers.Count; i++)
        {
            var layer = _model.Layers[i];
            var attn = layer.SelfAttn;
            var mlp = layer.Mlp;
            foreach (var (group, shortName, linear) in new (string, string, AdaptableLinear)[]
            {
                ("self_attn", "q_proj", attn.QProj), ("self_attn", "k_proj", attn.KProj), ("self_attn", "v_proj", attn.VProj),
                ("self_attn", "o_proj", attn.OProj), ("mlp", "gate_proj", mlp.GateProj), ("mlp", "up_proj", mlp.UpProj),
                ("mlp", "down_proj", mlp.DownProj),
            })
                yield return ($"model.layers.{i}.{group}.{shortName}", i, shortName, linear);
        }
    }

    private void InitialiseWeights(long? seed)
    {
        // A private generator: concurrent users of torch's global generator cannot change a seeded init.
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        using var _ = no_grad();
        foreach (var linear in Linears())
        {
            linear.Weight.normal_(0, 0.02, generator);
            linear.Bias?.zero_();
        }
        _model.EmbedTokens.weight!.normal_(0, 0.02, generator);
    }

    private sealed class AdapterScope(IReadOnlyList<AdaptableLinear> linears) : IDisposable
    {
        public void Dispose()
        {
            foreach (var linear in linears)
                linear.AdapterEnabled = true;
        }
    }

    /// <summary>
    /// Does nothing: submodules are registered explicitly under their HF names, and TorchSharp's reflection-based
    /// registration would add each again under its C# member name.
    /// </summary>
    protected override void RegisterComponents()
    {
    }
}
