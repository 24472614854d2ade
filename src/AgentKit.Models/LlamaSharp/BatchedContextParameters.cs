using LLama.Common;

namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// The llama.cpp context one request runs in: a KV cache that holds the shared prompt once plus every candidate's
/// continuation, batches large enough for one token of every candidate per decode, and the attention kernel.
/// </summary>
internal static class BatchedContextParameters
{
    /// <summary>
    /// Micro-batch of the prompt evaluation when flash attention is off: that path materialises a micro-batch by
    /// KV-cache score matrix per head, and at 512 tokens it no longer fits the CPU caches (a 2,000-token prompt
    /// evaluated about 40% slower at 512 than at 256; 128 and 64 gained nothing more).
    /// </summary>
    public const int MicroBatchWithoutFlashAttention = 256;

    /// <summary>
    /// Whether the context uses flash attention: as configured, otherwise off when every layer runs on the CPU and
    /// llama.cpp's own choice (null) when layers are offloaded. On the CPU llama.cpp's flash-attention kernel walks
    /// the whole KV cache once per query token, so a round of N candidates over a shared prompt of P tokens costs
    /// about N·P scalar steps; without it the round's attention is one matrix product over the cache. Measured on
    /// 2 cores with the random test model and a 2,000-token prompt: a token round took 8.5 ms with flash attention
    /// against 0.8 ms without at N=8, and 1.2 ms against 0.3 ms at N=1.
    /// </summary>
    public static bool? FlashAttention(LlamaSharpOptions options) =>
        options.FlashAttention ?? (options.GpuLayerCount == 0 ? false : null);

    /// <summary>The context parameters for one request.</summary>
    /// <param name="options">The generator's validated options.</param>
    /// <param name="promptTokens">Tokens of the shared prompt.</param>
    /// <param name="candidates">Candidates sampled from it (N).</param>
    /// <param name="maxTokens">Most tokens any candidate may generate.</param>
    public static ModelParams For(LlamaSharpOptions options, int promptTokens, int candidates, int maxTokens)
    {
        var flashAttention = FlashAttention(options);
        // One unified KV cache: the prompt's cells are shared by every fork, so it needs the prompt once
        // plus each candidate's continuation. llama.cpp rounds the size up to its own padding.
        var cells = promptTokens + candidates * (maxTokens + 1) + 1;
        var microBatch = flashAttention == false ? Math.Min(options.BatchSize, MicroBatchWithoutFlashAttention) : options.BatchSize;
        return new ModelParams(options.ModelPath)
        {
            ContextSize = (uint)cells,
            // A token round puts one token of every candidate into one decode, and one micro-batch.
            BatchSize = (uint)Math.Max(options.BatchSize, candidates),
            UBatchSize = (uint)Math.Max(microBatch, candidates),
            SeqMax = (uint)(candidates + 1),
            KVUnified = true,
            FlashAttention = flashAttention,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            GpuLayerCount = options.GpuLayerCount,
        };
    }
}
