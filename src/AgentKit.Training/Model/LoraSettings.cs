namespace AgentKit.Training.Model;

/// <summary>
/// Low-rank adaptation of linear layers (PEFT semantics): <c>y = W x + (alpha / r) · B A dropout(x)</c> (rsLoRA:
/// <c>alpha / √r</c>), with A initialised like a linear layer and B at zero so training starts from the base model.
/// </summary>
public sealed record LoraSettings
{
    /// <summary>Names of the projections PEFT calls <c>target_modules</c> (default: the attention projections).</summary>
    public static readonly IReadOnlyList<string> AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>Rank r of the update (default 8).</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Scale numerator: the update is multiplied by <c>alpha / r</c> (default 16).</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter input during training (default 0).</summary>
    public double Dropout { get; init; }

    /// <summary>Projection names to adapt (default q/k/v/o).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];

    /// <summary>The decoder layers to adapt (PEFT's <c>layers_to_transform</c>, 0-based); null means every layer.</summary>
    public IReadOnlyList<int>? LayersToTransform { get; init; }

    /// <summary>Rank-stabilised LoRA (PEFT's <c>use_rslora</c>): the update is scaled by <c>alpha / √r</c> instead of <c>alpha / r</c>.</summary>
    public bool UseRsLora { get; init; }

    /// <summary><c>alpha / r</c>, or <c>alpha / √r</c> under <see cref="UseRsLora"/>.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Whether the projection <paramref name="shortName"/> (e.g. <c>q_proj</c>) of decoder layer <paramref name="layer"/> is adapted.</summary>
    public bool Adapts(int layer, string shortName) =>
        TargetModules.Contains(shortName) && (LayersToTransform is null || LayersToTransform.Contains(layer));

    /// <summary>Throws <see cref="ArgumentException"/> explaining an invalid setting.</summary>
    public LoraSettings Validate()
    {
        if (Rank < 1)
            throw new ArgumentException($"LoRA rank must be >= 1, got {Rank}.");
        if (!(Alpha > 0))
            throw new ArgumentException($"LoRA alpha must be > 0, got {Alpha}.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
            throw new ArgumentException($"LoRA dropout must be in [0, 1), got {Dropout}.");
        if (TargetModules.Count == 0)
            throw new ArgumentException("LoRA needs at least one target module.");
        var unknown = TargetModules.Where(m => !AllLinear.Contains(m)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown LoRA target module(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllLinear)}.");
        if (LayersToTransform is { } layers && (layers.Count == 0 || layers.Any(l => l < 0)))
            throw new ArgumentException("LoRA layers to transform must be a non-empty list of layer indices >= 0.");
        return this;
    }
}
