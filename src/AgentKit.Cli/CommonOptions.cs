using System.CommandLine;

namespace AgentKit.Cli;

/// <summary>
/// The option table shared by every verb, so the same flag means the same thing everywhere.
/// Each call creates a fresh option instance (System.CommandLine options belong to one command).
/// </summary>
public static class CommonOptions
{
    /// <summary><c>--json</c>: print one JSON document on stdout instead of human-readable output.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one machine-readable JSON document on stdout." };

    /// <summary><c>--model</c>: path of a GGUF model file (or a model name for endpoints).</summary>
    public static Option<string?> Model() => new("--model", "-m") { Description = "Path of a GGUF model file, or a training checkpoint directory (generate runs it as is; the agent commands export it once to a cached f16 GGUF)." };

    /// <summary><c>--endpoint</c>: base URL of an OpenAI-compatible server.</summary>
    public static Option<string?> Endpoint() => new("--endpoint") { Description = "Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1." };

    /// <summary><c>--model-name</c>: model name to request from an endpoint.</summary>
    public static Option<string?> ModelName() => new("--model-name") { Description = "Model name to request from --endpoint." };

    /// <summary><c>--n</c>: candidates per prompt.</summary>
    public static Option<int> N() => new("--n") { Description = "Number of candidates to sample (1-64).", DefaultValueFactory = _ => 1 };

    /// <summary><c>--temperature</c>.</summary>
    public static Option<float> Temperature() => new("--temperature", "-t") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0.7f };

    /// <summary><c>--top-p</c>.</summary>
    public static Option<float> TopP() => new("--top-p") { Description = "Nucleus sampling threshold in (0, 1].", DefaultValueFactory = _ => 0.95f };

    /// <summary><c>--seed</c>.</summary>
    public static Option<int?> Seed() => new("--seed") { Description = "Random seed for reproducible sampling." };

    /// <summary><c>--max-tokens</c>.</summary>
    public static Option<int> MaxTokens() => new("--max-tokens") { Description = "Maximum tokens generated per candidate.", DefaultValueFactory = _ => 256 };

    /// <summary><c>--threads</c>: CPU threads for local inference.</summary>
    public static Option<int?> Threads() => new("--threads") { Description = "CPU threads for local inference (default: all cores)." };

    /// <summary><c>--gpu-layers</c>: layers of a GGUF model the LLamaSharp backend offloads to a GPU.</summary>
    public static Option<int> GpuLayers() => new("--gpu-layers")
    {
        Description = "Layers of the GGUF model offloaded to the GPU (-1: all; needs the CUDA build, see README 'GPU build').",
        DefaultValueFactory = _ => 0,
    };

    /// <summary><c>--device</c>: where TorchSharp trains or generates.</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where TorchSharp runs: cpu or cuda (cuda needs the CUDA build, see README 'GPU build').",
            DefaultValueFactory = _ => "cpu",
        };
        option.AcceptOnlyFromAmong("cpu", "cuda");
        return option;
    }

    /// <summary><c>--context</c>: context window for local inference.</summary>
    public static Option<int> ContextSize() => new("--context") { Description = "Context window in tokens for local inference.", DefaultValueFactory = _ => 2048 };

    /// <summary><c>--timeout-ms</c>: wall-clock limit per snippet.</summary>
    public static Option<int> TimeoutMs() => new("--timeout-ms") { Description = "Wall-clock limit per code snippet in milliseconds.", DefaultValueFactory = _ => 5000 };

    /// <summary><c>--memory-mb</c>: memory limit per sandbox worker.</summary>
    public static Option<int> MemoryMb() => new("--memory-mb") { Description = "Memory limit per sandbox worker in MiB.", DefaultValueFactory = _ => 512 };
}
