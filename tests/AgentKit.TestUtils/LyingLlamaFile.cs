using AgentKit.Models.Gguf;

namespace AgentKit.TestUtils;

/// <summary>
/// Writes a well-formed GGUF that looks like the tiny random llama of <see cref="TinyModels"/> but lies where a test
/// says: metadata values replaced or removed, tensors reshaped, retyped, removed or added. The GGUF container stays
/// valid (sizes and offsets consistent), so only a check of the hyperparameters against the tensors can catch it.
/// </summary>
/// <example>
/// <code>
/// var path = new LyingLlamaFile().Set("llama.block_count", GgufValue.UInt32(3)).Write("more-blocks.gguf");
/// </code>
/// </example>
public sealed class LyingLlamaFile
{
    private static readonly RandomLlamaOptions Shape = new();
    private readonly Dictionary<string, GgufValue?> _metadata = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]?> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GgmlType> _types = new(StringComparer.Ordinal);
    private readonly List<(string Name, long[] Dimensions)> _extra = [];

    /// <summary>Replaces (or adds) a metadata value.</summary>
    public LyingLlamaFile Set(string key, GgufValue value)
    {
        _metadata[key] = value;
        return this;
    }

    /// <summary>Leaves a metadata key out.</summary>
    public LyingLlamaFile Remove(string key)
    {
        _metadata[key] = null;
        return this;
    }

    /// <summary>Gives tensor <paramref name="name"/> other dimensions (innermost first).</summary>
    public LyingLlamaFile Reshape(string name, params long[] dimensions)
    {
        _shapes[name] = dimensions;
        return this;
    }

    /// <summary>Leaves tensor <paramref name="name"/> out.</summary>
    public LyingLlamaFile Drop(string name)
    {
        _shapes[name] = null;
        return this;
    }

    /// <summary>Stores tensor <paramref name="name"/> as <paramref name="type"/> (zero bytes of that layout).</summary>
    public LyingLlamaFile Retype(string name, GgmlType type)
    {
        _types[name] = type;
        return this;
    }

    /// <summary>Adds a tensor the model does not have.</summary>
    public LyingLlamaFile AddTensor(string name, params long[] dimensions)
    {
        _extra.Add((name, dimensions));
        return this;
    }

    /// <summary>Writes the file into the per-process temporary directory and returns its path.</summary>
    public string Write(string fileName)
    {
        var path = TinyModels.TempPath(fileName);
        var honest = RandomLlamaModel.CreateWriter(Shape);
        var writer = new GgufWriter();
        foreach (var (key, value) in honest.Metadata)
        {
            if (!_metadata.TryGetValue(key, out var replacement))
                writer.Add(key, value);
            else if (replacement is not null)
                writer.Add(key, replacement);
        }
        foreach (var (key, value) in _metadata)
        {
            if (value is not null && !honest.Metadata.Any(kv => kv.Key == key))
                writer.Add(key, value);
        }

        foreach (var (name, dimensions) in HonestTensors().Concat(_extra))
        {
            var shape = _shapes.TryGetValue(name, out var replaced) ? replaced : dimensions;
            if (shape is null)
                continue;
            var type = _types.GetValueOrDefault(name, GgmlType.F32);
            var elements = shape.Aggregate(1L, (product, d) => product * d);
            // Norm weights are ones so a model that loads computes something finite; the rest is small noise.
            var value = name.EndsWith("norm.weight", StringComparison.Ordinal) ? 1f : 0.01f;
            if (type is GgmlType.F32 or GgmlType.F16)
                writer.AddTensor(name, shape, type, Enumerable.Repeat(value, (int)elements).ToArray());
            else
                writer.AddRawTensor(name, shape, type, new byte[GgmlTypeInfo.ByteSize(type, elements)]);
        }
        writer.Write(path);
        return path;
    }

    /// <summary>The tensors <see cref="RandomLlamaModel"/> writes for the default options, with their dimensions.</summary>
    public static IEnumerable<(string Name, long[] Dimensions)> HonestTensors()
    {
        long embd = Shape.Embedding, ff = Shape.FeedForward, vocab = ByteLevelVocabulary.Default.Count;
        long kv = embd / Shape.Heads * Shape.KvHeads;
        yield return ("token_embd.weight", [embd, vocab]);
        for (var layer = 0; layer < Shape.Layers; layer++)
        {
            var block = $"blk.{layer}.";
            yield return (block + "attn_norm.weight", [embd]);
            yield return (block + "attn_q.weight", [embd, embd]);
            yield return (block + "attn_k.weight", [embd, kv]);
            yield return (block + "attn_v.weight", [embd, kv]);
            yield return (block + "attn_output.weight", [embd, embd]);
            yield return (block + "ffn_norm.weight", [embd]);
            yield return (block + "ffn_gate.weight", [embd, ff]);
            yield return (block + "ffn_up.weight", [embd, ff]);
            yield return (block + "ffn_down.weight", [ff, embd]);
        }
        yield return ("output_norm.weight", [embd]);
        yield return ("output.weight", [embd, vocab]);
    }
}
