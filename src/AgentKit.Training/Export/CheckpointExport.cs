using AgentKit.Training.Checkpoints;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Export;

/// <summary>What <see cref="CheckpointExport.Run"/> writes; <see cref="Validate"/> checks the folders before anything loads.</summary>
public sealed record CheckpointExportOptions
{
    /// <summary>Checkpoint directory: <c>config.json</c>, safetensors and <c>tokenizer.json</c> (a LoRA adapter in it is merged).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The <c>.gguf</c> file to write.</summary>
    public required string Output { get; init; }

    /// <summary>A PEFT LoRA adapter folder (trained elsewhere, e.g. with TRL) merged before export; null for none.</summary>
    public string? Adapter { get; init; }

    /// <summary>Tensor storage (default f16).</summary>
    public GgufExportType Type { get; init; } = GgufExportType.F16;

    /// <summary>Threads of the q8_0 quantizer (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> when a folder is not what it must be; returns this.</summary>
    public CheckpointExportOptions Validate()
    {
        if (!CheckpointIO.IsCheckpoint(Checkpoint))
            throw new ArgumentException($"'{Checkpoint}' is not a checkpoint directory (config.json + model.safetensors).");
        if (!File.Exists(Path.Combine(Checkpoint, TokenizerLoader.FileName)))
            throw new ArgumentException($"'{Checkpoint}' has no {TokenizerLoader.FileName}; the GGUF needs the tokenizer.");
        if (Adapter is not null && !File.Exists(Path.Combine(Adapter, CheckpointFiles.AdapterConfig)))
            throw new ArgumentException($"'{Adapter}' is not a PEFT adapter folder (no {CheckpointFiles.AdapterConfig}).");
        return this;
    }
}

/// <summary>The figures of one export (and the <c>--json</c> document of <c>agentkit export gguf</c>).</summary>
/// <param name="Checkpoint">The checkpoint directory.</param>
/// <param name="Adapter">The PEFT adapter merged, if any.</param>
/// <param name="Output">The GGUF written.</param>
/// <param name="Type">Tensor storage: <c>f32</c>, <c>f16</c> or <c>q8_0</c>.</param>
/// <param name="Architecture">The model type (<c>llama</c>, <c>qwen2</c>, …).</param>
/// <param name="Parameters">Parameters of the merged model.</param>
/// <param name="Bytes">Size of the GGUF.</param>
/// <param name="Seconds">Wall time of load, merge and export.</param>
public sealed record CheckpointExportReport(string Checkpoint, string? Adapter, string Output, string Type, string Architecture, long Parameters, long Bytes, double Seconds);

/// <summary>
/// Writes a TorchSharp checkpoint with its tokenizer as a GGUF llama.cpp runs: its own LoRA merged, then an optional PEFT
/// adapter (<see cref="PeftAdapter"/>) loaded and merged. The tokenizer's split rule becomes <c>tokenizer.ggml.pre</c>
/// (<see cref="HfPreTokenizer"/>) and the checkpoint's chat template (<see cref="ChatTemplateFile"/>) is carried over.
/// <code>
/// var report = CheckpointExport.Run(new CheckpointExportOptions { Checkpoint = "runs/sft/final", Output = "model.gguf" }.Validate());
/// </code>
/// </summary>
public static class CheckpointExport
{
    /// <summary>Loads, merges and exports; <paramref name="timeProvider"/> (default: the system clock) times it.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (<see cref="CheckpointExportOptions.Validate"/>).</exception>
    /// <exception cref="InvalidDataException">The adapter does not fit the model (its message names the tensor and shapes).</exception>
    public static CheckpointExportReport Run(CheckpointExportOptions options, TimeProvider? timeProvider = null)
    {
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        var tokenizerPath = Path.Combine(options.Checkpoint, TokenizerLoader.FileName);
        using var model = CheckpointIO.Load(options.Checkpoint);
        if (model.HasLora)
            model.MergeLora();
        if (options.Adapter is not null)
        {
            PeftAdapter.Load(model, options.Adapter);
            model.MergeLora();
        }
        GgufExporter.Export(model, ByteLevelBpeTokenizer.Load(tokenizerPath), options.Output, new GgufExportOptions
        {
            Type = options.Type, PreTokenizer = GgufExportOptions.PreTokenizerFor(tokenizerPath), Threads = options.Threads,
            ChatTemplate = ChatTemplateFile.Read(options.Checkpoint),
        });
        return new CheckpointExportReport(options.Checkpoint, options.Adapter, options.Output, TypeName(options.Type), model.Config.ModelType,
            model.Config.ParameterCount(), new FileInfo(options.Output).Length, Math.Round(time.GetElapsedTime(started).TotalSeconds, 3));
    }

    private static string TypeName(GgufExportType type) => type switch
    {
        GgufExportType.F32 => "f32",
        GgufExportType.Q8_0 => "q8_0",
        _ => "f16",
    };
}
