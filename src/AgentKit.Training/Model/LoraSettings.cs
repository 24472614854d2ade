namespace AgentKit.Training.Model;

/// <summary>
/// Low-rank adaptation of linear layers (PEFT semantics): <c>y = W x + (alpha / r) · B A dropout(x)</c>, with
/// A initialised like a linear layer and B at zero so training starts from the base model.
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

    /// <summary><c>alpha / r</c>.</summary>
    public double Scaling => Alpha / Rank;

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
        return this;
    }
}
