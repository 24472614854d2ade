namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// Settings of a <see cref="LlamaSharpGenerator"/>. Validated by <see cref="Validate"/> when the generator is built.
/// </summary>
public sealed record LlamaSharpOptions
{
    /// <summary>Path of the GGUF model file (required).</summary>
    public required string ModelPath { get; init; }

    /// <summary>
    /// Context window of each candidate in tokens: prompt plus generated tokens (default 2048). The KV cache is
    /// sized per request to hold the shared prompt once plus every candidate's continuation.
    /// </summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>CPU threads for inference; null lets llama.cpp use all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Maximum tokens evaluated in one native decode call (default 512); longer prompts are fed in chunks.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>
    /// Layers offloaded to a GPU (default 0, -1 for all). Needs the GPU build (<c>-p:AgentKitLlamaBackend=Cuda12</c>)
    /// and a GPU; the generator refuses a non-zero count where llama.cpp cannot offload.
    /// </summary>
    public int GpuLayerCount { get; init; }

    /// <summary>
    /// Flash attention in llama.cpp: null (default) turns it off when every layer runs on the CPU and leaves the
    /// choice to llama.cpp when layers are offloaded to a GPU; true or false forces it. On the CPU, llama.cpp's
    /// flash-attention kernel makes each candidate's token round cost a pass over the whole shared prompt, so N
    /// candidates cost several times what the ordinary attention path does (see the Models README).
    /// </summary>
    public bool? FlashAttention { get; init; }

    /// <summary>
    /// Never end a candidate on an end-of-generation token, so every candidate runs to
    /// <see cref="AgentKit.Abstractions.Models.CandidateRequest.MaxTokens"/>. For benchmarks, where every run must do the same work.
    /// </summary>
    public bool IgnoreEndOfGeneration { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public LlamaSharpOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException("ModelPath must name a GGUF file.");
        if (ContextSize is < 16 or > 1 << 20)
            throw new ArgumentException($"ContextSize must be between 16 and 1048576 tokens, got {ContextSize}.");
        if (Threads is < 1 or > 1024)
            throw new ArgumentException($"Threads must be between 1 and 1024 (or null for all cores), got {Threads}.");
        if (BatchSize is < 1 or > 1 << 16)
            throw new ArgumentException($"BatchSize must be between 1 and 65536, got {BatchSize}.");
        if (GpuLayerCount < -1)
            throw new ArgumentException($"GpuLayerCount must be >= 0, or -1 for all layers, got {GpuLayerCount}.");
        return this;
    }
}
