namespace AgentKit.Training.Checkpoints;

/// <summary>What <see cref="CheckpointInterpolation.Run"/> mixes and writes; <see cref="Validate"/> checks it before anything loads.</summary>
public sealed record CheckpointInterpolationOptions
{
    /// <summary>The starting checkpoint (weight 0), e.g. the SFT model a GRPO run started from; its tokenizer is copied.</summary>
    public required string Base { get; init; }

    /// <summary>The fine-tuned checkpoint (weight 1) of the same architecture and tokenizer, e.g. a GRPO checkpoint.</summary>
    public required string Tuned { get; init; }

    /// <summary>Share of <see cref="Tuned"/> in every weight, from 0 (the base) to 1 (the tuned model).</summary>
    public required double Weight { get; init; }

    /// <summary>The checkpoint directory to write; it must not exist yet or be empty.</summary>
    public required string Output { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is not what it must be; returns this.</summary>
    public CheckpointInterpolationOptions Validate()
    {
        if (double.IsNaN(Weight) || Weight < 0 || Weight > 1)
            throw new ArgumentOutOfRangeException(nameof(Weight), Weight, "The weight must be between 0 and 1.");
        foreach (var (path, name) in new[] { (Base, nameof(Base)), (Tuned, nameof(Tuned)) })
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new ArgumentException("The checkpoint path is empty.", name);
            if (!CheckpointIO.IsCheckpoint(path))
                throw new ArgumentException($"'{path}' is not a checkpoint directory (config.json and model.safetensors).", name);
            if (File.Exists(Path.Combine(path, CheckpointFiles.AdapterConfig)))
                throw new ArgumentException($"'{path}' holds a LoRA adapter; merge it into the weights first (agentkit export hf --merge).", name);
        }
        if (string.IsNullOrWhiteSpace(Output))
            throw new ArgumentException("The output directory is empty.", nameof(Output));
        if (File.Exists(Output))
            throw new ArgumentException($"Output '{Output}' is a file; give a directory for the checkpoint.", nameof(Output));
        if (Directory.Exists(Output) && Directory.EnumerateFileSystemEntries(Output).Any())
            throw new ArgumentException($"Output directory '{Output}' is not empty; give a new directory for the checkpoint.", nameof(Output));
        return this;
    }
}

/// <summary>The figures of one interpolation (and the <c>--json</c> document of <c>agentkit train interpolate</c>).</summary>
/// <param name="Base">The starting checkpoint read.</param>
/// <param name="Tuned">The fine-tuned checkpoint read.</param>
/// <param name="Weight">Share of the tuned model in every weight.</param>
/// <param name="Output">The checkpoint directory written.</param>
/// <param name="Parameters">Parameters mixed.</param>
/// <param name="Distance">L2 norm of the difference between the two models' weights (how far the tuning moved).</param>
/// <param name="Seconds">Wall time of read, mix and write.</param>
public sealed record CheckpointInterpolationReport(string Base, string Tuned, double Weight, string Output, long Parameters, double Distance, double Seconds);
