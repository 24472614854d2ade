using AgentKit.Training.Checkpoints;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Export;

/// <summary>What <see cref="HfExport.Run"/> reads and writes; <see cref="Validate"/> checks the paths before anything loads.</summary>
public sealed record HfExportOptions
{
    /// <summary>HF's default <c>max_shard_size</c> (5 GB): weights above it are split into shards with an index.</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>Checkpoint directory: <c>config.json</c>, safetensors, <c>tokenizer.json</c> (an adapter in it is kept or merged).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The folder to write; it must not exist yet or be empty.</summary>
    public required string Output { get; init; }

    /// <summary>A PEFT LoRA adapter folder to attach (the checkpoint's own adapter is merged first); null for none.</summary>
    public string? Adapter { get; init; }

    /// <summary>
    /// Fold LoRA into the weights (one plain transformers model). False (default): the base weights go to
    /// <see cref="Output"/> and the adapter to <c>Output/adapter</c> in PEFT's layout.
    /// </summary>
    public bool Merge { get; init; }

    /// <summary>Storage of the tensors: <c>Float32</c> (default; what training used, so the reload is bit-exact), <c>BFloat16</c> or <c>Float16</c>.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Largest weights file before sharding (default <see cref="DefaultMaxShardBytes"/>); a tensor is never split.</summary>
    public long MaxShardBytes { get; init; } = DefaultMaxShardBytes;

    /// <summary>The storage type named <c>f32</c>, <c>bf16</c> or <c>f16</c>.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static ScalarType ParseDType(string name) => name switch
    {
        "f32" => ScalarType.Float32,
        "bf16" => ScalarType.BFloat16,
        "f16" => ScalarType.Float16,
        _ => throw new ArgumentException($"The tensor type must be f32, bf16 or f16, got '{name}'.", nameof(name)),
    };

    /// <summary>Throws <see cref="ArgumentException"/> when a path or setting is not what it must be; returns this.</summary>
    public HfExportOptions Validate()
    {
        if (!CheckpointIO.IsCheckpoint(Checkpoint))
            throw new ArgumentException($"'{Checkpoint}' is not a checkpoint directory (config.json + model.safetensors).");
        if (!File.Exists(Path.Combine(Checkpoint, TokenizerLoader.FileName)))
            throw new ArgumentException($"'{Checkpoint}' has no {TokenizerLoader.FileName}; the export needs the tokenizer.");
        if (Adapter is not null && !File.Exists(Path.Combine(Adapter, CheckpointFiles.AdapterConfig)))
            throw new ArgumentException($"'{Adapter}' is not a PEFT adapter folder (no {CheckpointFiles.AdapterConfig}).");
        if (string.IsNullOrWhiteSpace(Output))
            throw new ArgumentException("The output directory is empty.");
        if (File.Exists(Output))
            throw new ArgumentException($"Output '{Output}' is a file; give a directory.");
        if (Directory.Exists(Output) && Directory.EnumerateFileSystemEntries(Output).Any())
            throw new ArgumentException($"Output directory '{Output}' is not empty; give a new directory.");
        SafetensorsWriter.DtypeName(DType);
        if (MaxShardBytes < 1)
            throw new ArgumentException($"The shard size must be >= 1 byte, got {MaxShardBytes}.");
        return this;
    }
}

/// <summary>The figures of one HF export (and the <c>--json</c> document of <c>agentkit export hf</c>).</summary>
/// <param name="Checkpoint">The checkpoint read.</param>
/// <param name="Adapter">The PEFT adapter attached, if any.</param>
/// <param name="Output">The model folder written.</param>
/// <param name="AdapterOutput">The PEFT adapter folder written (null when merged or without LoRA).</param>
/// <param name="Type">Tensor storage: <c>f32</c>, <c>bf16</c> or <c>f16</c>.</param>
/// <param name="Architecture">The model type (<c>llama</c> or <c>qwen2</c>).</param>
/// <param name="Parameters">Parameters of the base model.</param>
/// <param name="Shards">Weight files (1: a single <c>model.safetensors</c>).</param>
/// <param name="Bytes">Bytes of all files written.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record HfExportReport(string Checkpoint, string? Adapter, string Output, string? AdapterOutput, string Type, string Architecture,
    long Parameters, int Shards, long Bytes, double Seconds);
