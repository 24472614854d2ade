using LLama;
using LLama.Common;
using LLama.Native;

namespace AgentKit.Training.Tests;

/// <summary>Runs a GGUF in llama.cpp (through LLamaSharp) to get reference tokens and logits.</summary>
internal sealed class LlamaCppReference : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;

    public LlamaCppReference(string path, uint contextSize = 256)
    {
        NativeApi.llama_empty_call();
        var parameters = new ModelParams(path) { ContextSize = contextSize, BatchSize = contextSize, Threads = 2, GpuLayerCount = 0 };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
    }

    public int[] Tokenize(string text) => [.. _context.Tokenize(text, addBos: false, special: true).Select(t => (int)t)];

    /// <summary>Logits [T, vocab] of every position for one sequence evaluated from an empty cache.</summary>
    public float[][] Logits(IReadOnlyList<int> tokens)
    {
        _context.NativeHandle.MemoryClear(true);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Count; i++)
            batch.Add((LLamaToken)tokens[i], i, LLamaSeqId.Zero, logits: true);
        var result = _context.Decode(batch);
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
        return [.. Enumerable.Range(0, tokens.Count).Select(i => _context.NativeHandle.GetLogitsIth(i).ToArray())];
    }

    /// <summary>Greedy continuation of <paramref name="prompt"/>.</summary>
    public int[] Greedy(IReadOnlyList<int> prompt, int steps)
    {
        var sequence = prompt.ToList();
        var output = new List<int>();
        for (var s = 0; s < steps; s++)
        {
            var logits = Logits(sequence)[^1];
            var next = Array.IndexOf(logits, logits.Max());
            output.Add(next);
            sequence.Add(next);
        }
        return [.. output];
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }
}
