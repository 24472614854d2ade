using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Training.Checkpoints;

namespace AgentKit.Training.Generation;

/// <summary>
/// Which model <see cref="ModelBackend.Open"/> opens and where it runs: a GGUF file (<see cref="ModelPath"/>, through
/// LLamaSharp), a TorchSharp training checkpoint directory (<see cref="ModelPath"/> naming a folder), or an
/// OpenAI-compatible server (<see cref="Endpoint"/> + <see cref="ModelName"/>). <see cref="Validate"/> checks the
/// combination and that the model exists; its messages name the <c>agentkit</c> flags the properties stand for
/// (<c>--model</c>, <c>--endpoint</c>, <c>--model-name</c>, <c>--gpu-layers</c>, <c>--device</c>, <c>--context</c>).
/// </summary>
public sealed record ModelBackendOptions
{
    /// <summary>A GGUF file, or a training checkpoint directory; exactly one of this and <see cref="Endpoint"/>.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Base URL of an OpenAI-compatible server, e.g. <c>http://127.0.0.1:8080/v1</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The model to request from <see cref="Endpoint"/> (required with it, refused without it).</summary>
    public string? ModelName { get; init; }

    /// <summary>Bearer key for <see cref="Endpoint"/>; null sends none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Context window in tokens of a GGUF model (default 2048).</summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>CPU threads of a GGUF model; null uses all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Layers of a GGUF model offloaded to the GPU (0: none, -1: all); refused for other backends.</summary>
    public int GpuLayerCount { get; init; }

    /// <summary>Where a checkpoint directory's model runs; anything but CPU is refused for other backends.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>True when <see cref="ModelPath"/> names a directory (a TorchSharp checkpoint).</summary>
    public bool IsCheckpoint => ModelPath is not null && Directory.Exists(ModelPath);

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first inconsistent or missing setting; returns this.</summary>
    public ModelBackendOptions Validate()
    {
        if ((ModelPath is null) == (Endpoint is null))
            throw new ArgumentException("give exactly one of --model PATH.gguf or --endpoint URL.");
        if (Endpoint is not null && string.IsNullOrWhiteSpace(ModelName))
            throw new ArgumentException("--endpoint needs --model-name (the model to request from the server).");
        if (ModelPath is not null && ModelName is not null)
            throw new ArgumentException("--model-name only applies to --endpoint; a --model file is named by its path.");
        if (Endpoint is not null && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
            throw new ArgumentException($"--endpoint must be an absolute URL such as http://127.0.0.1:8080/v1, got '{Endpoint}'.");
        if (IsCheckpoint && !CheckpointIO.IsCheckpoint(ModelPath!))
            throw new ArgumentException($"{ModelPath} is a directory but not a training checkpoint (no config.json + safetensors).");
        if (ModelPath is not null && !IsCheckpoint && !File.Exists(ModelPath))
            throw new ArgumentException($"model file not found: {ModelPath}");
        if (GpuLayerCount != 0 && (ModelPath is null || IsCheckpoint))
            throw new ArgumentException("--gpu-layers applies to a GGUF --model; a checkpoint directory takes --device cuda.");
        if (Device != ComputeDevice.Cpu && !IsCheckpoint)
            throw new ArgumentException("--device applies to a TorchSharp checkpoint --model DIR; a GGUF file takes --gpu-layers.");
        if (Endpoint is not null)
            _ = EndpointOptions();
        else if (!IsCheckpoint)
            _ = LlamaOptions();
        return this;
    }

    /// <summary>The LLamaSharp settings of a GGUF <see cref="ModelPath"/>, validated.</summary>
    internal LlamaSharpOptions LlamaOptions() =>
        new LlamaSharpOptions { ModelPath = ModelPath!, ContextSize = ContextSize, Threads = Threads, GpuLayerCount = GpuLayerCount }.Validate();

    /// <summary>The client settings of <see cref="Endpoint"/>, validated; errors are prefixed with <c>--endpoint:</c>.</summary>
    internal OpenAICompatibleOptions EndpointOptions()
    {
        try
        {
            return new OpenAICompatibleOptions { Endpoint = new Uri(Endpoint!), Model = ModelName!, ApiKey = ApiKey }.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException)
        {
            throw new ArgumentException($"--endpoint: {ex.Message}", ex);
        }
    }
}
