namespace AgentKit.Training.Checkpoints;

/// <summary>What <see cref="GgufImport.Run"/> reads and writes; <see cref="Validate"/> checks the paths before anything loads.</summary>
public sealed record GgufImportOptions
{
    /// <summary>The <c>.gguf</c> file to import (a llama or qwen2 model with a byte-level BPE tokenizer).</summary>
    public required string Model { get; init; }

    /// <summary>
    /// The checkpoint directory to write (<c>config.json</c>, <c>model.safetensors</c>, <c>tokenizer.json</c>); it must not
    /// exist yet or be empty, so an import never mixes with an earlier checkpoint.
    /// </summary>
    public required string Output { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a path is not what it must be; returns this.</summary>
    public GgufImportOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException("The GGUF path is empty.");
        if (string.IsNullOrWhiteSpace(Output))
            throw new ArgumentException("The output directory is empty.");
        if (Directory.Exists(Model) || !File.Exists(Model))
            throw new ArgumentException($"GGUF file '{Model}' does not exist.");
        if (File.Exists(Output))
            throw new ArgumentException($"Output '{Output}' is a file; give a directory for the checkpoint.");
        if (Directory.Exists(Output) && Directory.EnumerateFileSystemEntries(Output).Any())
            throw new ArgumentException($"Output directory '{Output}' is not empty; give a new directory for the checkpoint.");
        return this;
    }
}

/// <summary>The figures of one import (and the <c>--json</c> document of <c>agentkit import gguf</c>).</summary>
/// <param name="Model">The GGUF read.</param>
/// <param name="Output">The checkpoint directory written.</param>
/// <param name="Architecture">The model type (<c>llama</c> or <c>qwen2</c>).</param>
/// <param name="TensorTypes">Storage types found in the GGUF, e.g. <c>F16, F32</c> (all written as float32).</param>
/// <param name="Parameters">Parameters of the model.</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="HiddenSize">Width of the residual stream.</param>
/// <param name="VocabSize">Rows of the embedding.</param>
/// <param name="TokenizerTokens">Tokens of the rebuilt tokenizer (placeholder rows past the real vocabulary are dropped).</param>
/// <param name="Seconds">Wall time of read, conversion and write.</param>
public sealed record GgufImportReport(
    string Model, string Output, string Architecture, string TensorTypes, long Parameters, int Layers, int HiddenSize,
    int VocabSize, int TokenizerTokens, double Seconds);
