namespace AgentKit.Models;

/// <summary>Why a model file could not be loaded.</summary>
public enum ModelLoadFailure
{
    /// <summary>No file exists at the given path.</summary>
    FileNotFound,
    /// <summary>The file does not start with the GGUF magic bytes.</summary>
    NotGguf,
    /// <summary>The GGUF version is one this reader does not understand.</summary>
    UnsupportedVersion,
    /// <summary>The file ends before its header or tensor data does.</summary>
    Truncated,
    /// <summary>The header is inconsistent (impossible sizes, unknown types, misaligned offsets).</summary>
    Corrupt,
    /// <summary>
    /// The GGUF container is well formed but its content contradicts itself: hyperparameters that do not match the
    /// tensors, tokenizer arrays of different lengths, tensor types the runtime cannot compute with.
    /// </summary>
    Inconsistent,
    /// <summary><c>general.architecture</c> is missing or names an architecture the bundled llama.cpp cannot run.</summary>
    UnsupportedArchitecture,
    /// <summary>The file passed validation but the native runtime refused it.</summary>
    NativeLoadFailed,
    /// <summary>Layers were to be offloaded to a GPU, but the loaded llama.cpp backend has no GPU to offload to.</summary>
    GpuUnavailable,
}

/// <summary>
/// A model file could not be loaded. The message is meant for the user as is: one line that names the file and
/// says what is wrong with it (the CLI prints it as is and exits with code 1).
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException(ModelLoadFailure failure, string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Path = path;
    }

    /// <summary>The kind of failure.</summary>
    public ModelLoadFailure Failure { get; }

    /// <summary>The model path as given by the caller.</summary>
    public string Path { get; }
}
