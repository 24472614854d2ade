using AgentKit.Training.Export;

namespace AgentKit.Distillation;

/// <summary>
/// The Hugging Face export of the trained student (<c>"export": {"hf": {"out": "students/0.5B-hf", "merge": false}}</c>),
/// as <c>agentkit export hf</c> writes it: the base weights plus a PEFT adapter, or with <see cref="Merge"/> the LoRA
/// folded into the weights.
/// </summary>
public sealed record HfExportRecipe
{
    /// <summary>The folder the export is copied to, relative to the agent folder.</summary>
    public required string Out { get; init; }

    /// <summary>Fold LoRA into the weights (default false: base weights plus <c>adapter/</c>).</summary>
    public bool Merge { get; init; }

    /// <summary>Tensor type: <c>f32</c> (default, bit-exact), <c>bf16</c> or <c>f16</c>.</summary>
    public string Dtype { get; init; } = "f32";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Out))
            throw new ArgumentException("export.hf.out must be a folder path.");
        if (Dtype is not ("f32" or "bf16" or "f16"))
            throw new ArgumentException($"export.hf.dtype must be \"f32\", \"bf16\" or \"f16\", got \"{Dtype}\".");
    }

    /// <summary>The exporter's options for <paramref name="checkpoint"/> into <paramref name="output"/>.</summary>
    public HfExportOptions ToOptions(string checkpoint, string output) => new HfExportOptions
    {
        Checkpoint = checkpoint, Output = output, Merge = Merge, DType = HfExportOptions.ParseDType(Dtype),
    }.Validate();
}
