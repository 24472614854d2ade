using AgentKit.Abstractions.Models;
using AgentKit.Models;
using AgentKit.Models.LlamaSharp;

namespace AgentKit.Cli;

/// <summary>
/// Opens the model backend named on the command line: a local GGUF file (<c>--model</c>) through LLamaSharp, a
/// TorchSharp training checkpoint directory (<c>--model DIR</c>), or an
/// OpenAI-compatible server (<c>--endpoint</c> + <c>--model-name</c>). Argument mistakes become
/// <see cref="CliUsageException"/> (exit 2); a model file that cannot be loaded becomes
/// <see cref="InvalidDataException"/> (exit 1) with the loader's message.
/// </summary>
internal static class ModelBackends
{
    /// <summary>Checks the backend options without opening anything; throws <see cref="CliUsageException"/> when inconsistent.</summary>
    public static void Validate(string? modelPath, string? endpoint, string? modelName)
    {
        if ((modelPath is null) == (endpoint is null))
            throw new CliUsageException("give exactly one of --model PATH.gguf or --endpoint URL.");
        if (endpoint is not null && string.IsNullOrWhiteSpace(modelName))
            throw new CliUsageException("--endpoint needs --model-name (the model to request from the server).");
        if (modelPath is not null && modelName is not null)
            throw new CliUsageException("--model-name only applies to --endpoint; a --model file is named by its path.");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new CliUsageException($"--endpoint must be an absolute URL such as http://127.0.0.1:8080/v1, got '{endpoint}'.");
        if (modelPath is not null && Directory.Exists(modelPath))
        {
            if (!AgentKit.Training.Checkpoints.CheckpointIO.IsCheckpoint(modelPath))
                throw new CliUsageException($"{modelPath} is a directory but not a training checkpoint (no config.json + safetensors).");
        }
        else if (modelPath is not null && !File.Exists(modelPath))
            throw new CliUsageException($"model file not found: {modelPath}");
    }

    /// <summary>
    /// Checks <c>--gpu-layers</c> and <c>--device</c> against the model kind: GPU layers are for a GGUF file (LLamaSharp),
    /// the device for a TorchSharp checkpoint directory. Throws <see cref="CliUsageException"/> for a mismatch.
    /// </summary>
    public static ModelPlacement Placement(string? modelPath, int gpuLayers, string device)
    {
        var computeDevice = AgentKit.Training.ComputeDevices.Parse(device);
        var checkpoint = modelPath is not null && Directory.Exists(modelPath);
        if (gpuLayers != 0 && (modelPath is null || checkpoint))
            throw new CliUsageException("--gpu-layers applies to a GGUF --model; a checkpoint directory takes --device cuda.");
        if (computeDevice != AgentKit.Training.ComputeDevice.Cpu && !checkpoint)
            throw new CliUsageException("--device applies to a TorchSharp checkpoint --model DIR; a GGUF file takes --gpu-layers.");
        return new ModelPlacement(gpuLayers, computeDevice);
    }

    /// <summary>Opens the backend. The caller disposes the result when it is <see cref="IDisposable"/>.</summary>
    public static ICandidateGenerator Open(string? modelPath, string? endpoint, string? modelName, int contextSize, int? threads,
        ModelPlacement? placement = null)
    {
        Validate(modelPath, endpoint, modelName);
        placement ??= new ModelPlacement(0, AgentKit.Training.ComputeDevice.Cpu);
        if (endpoint is not null)
            return OpenEndpoint(endpoint, modelName!);
        if (Directory.Exists(modelPath))
            return OpenCheckpoint(modelPath!, placement.Device);
        return OpenLocal(new LlamaSharpOptions { ModelPath = modelPath!, ContextSize = contextSize, Threads = threads, GpuLayerCount = placement.GpuLayers });
    }

    /// <summary>
    /// Opens an OpenAI-compatible endpoint. The bearer key, if the server needs one, comes from the
    /// <c>AGENTKIT_API_KEY</c> environment variable (never <c>OPENAI_API_KEY</c>, so a key is not sent to a server by accident).
    /// </summary>
    public static AgentKit.Models.OpenAICompatible.OpenAICompatibleGenerator OpenEndpoint(string endpoint, string modelName)
    {
        try
        {
            return new AgentKit.Models.OpenAICompatible.OpenAICompatibleGenerator(new AgentKit.Models.OpenAICompatible.OpenAICompatibleOptions
            {
                Endpoint = new Uri(endpoint),
                Model = modelName,
                ApiKey = Environment.GetEnvironmentVariable("AGENTKIT_API_KEY") is { Length: > 0 } key ? key : null,
            });
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException)
        {
            throw new CliUsageException($"--endpoint: {ex.Message}");
        }
    }

    /// <summary>Opens a TorchSharp training checkpoint directory (LoRA adapters merged on load; no grammar support).</summary>
    public static AgentKit.Training.Generation.TorchSharpGenerator OpenCheckpoint(string directory,
        AgentKit.Training.ComputeDevice device = AgentKit.Training.ComputeDevice.Cpu)
    {
        try
        {
            return AgentKit.Training.Generation.TorchSharpGenerator.Open(directory, device);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not InvalidDataException)
        {
            throw new InvalidDataException($"cannot open checkpoint {directory}: {ex.Message}", ex);
        }
    }

    /// <summary>Opens a local GGUF model with explicit options (used by benchmarks that need more control).</summary>
    public static LlamaSharpGenerator OpenLocal(LlamaSharpOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        try
        {
            return new LlamaSharpGenerator(options);
        }
        catch (ModelLoadException ex) when (ex.Failure == ModelLoadFailure.FileNotFound)
        {
            throw new CliUsageException(ex.Message);
        }
        catch (ModelLoadException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }
}

/// <summary>Where a local model runs: layers offloaded by LLamaSharp (GGUF) or the TorchSharp device (checkpoint).</summary>
internal sealed record ModelPlacement(int GpuLayers, AgentKit.Training.ComputeDevice Device);
