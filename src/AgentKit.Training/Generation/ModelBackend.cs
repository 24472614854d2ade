using AgentKit.Abstractions.Models;
using AgentKit.Models;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;

namespace AgentKit.Training.Generation;

/// <summary>
/// Opens the generator <see cref="ModelBackendOptions"/> names: LLamaSharp for a GGUF file, <see cref="TorchSharpGenerator"/>
/// for a checkpoint directory (LoRA adapters merged on load; no grammar support), <see cref="OpenAICompatibleGenerator"/>
/// for an endpoint. It lives here, not in <c>AgentKit.Models</c>, because only this project sees all three.
/// <code>
/// using var generator = (IDisposable)ModelBackend.Open(new ModelBackendOptions { ModelPath = "model.gguf" }.Validate());
/// </code>
/// </summary>
public static class ModelBackend
{
    /// <summary>Opens the backend. The caller disposes the result (every backend is <see cref="IDisposable"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> are inconsistent (<see cref="ModelBackendOptions.Validate"/>).</exception>
    /// <exception cref="InvalidDataException">The model file or checkpoint cannot be loaded; the loader's message says why.</exception>
    public static ICandidateGenerator Open(ModelBackendOptions options)
    {
        options.Validate();
        if (options.Endpoint is not null)
            return new OpenAICompatibleGenerator(options.EndpointOptions());
        if (options.IsCheckpoint)
            return OpenCheckpoint(options.ModelPath!, options.Device);
        return OpenGguf(options.LlamaOptions());
    }

    /// <summary>Opens a GGUF file; a file that cannot be loaded becomes <see cref="InvalidDataException"/> with the loader's message.</summary>
    public static LlamaSharpGenerator OpenGguf(LlamaSharpOptions options)
    {
        try
        {
            return new LlamaSharpGenerator(options.Validate());
        }
        catch (ModelLoadException ex) when (ex.Failure != ModelLoadFailure.FileNotFound)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    private static TorchSharpGenerator OpenCheckpoint(string directory, ComputeDevice device)
    {
        try
        {
            return TorchSharpGenerator.Open(directory, device);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not InvalidDataException)
        {
            throw new InvalidDataException($"cannot open checkpoint {directory}: {ex.Message}", ex);
        }
    }
}
