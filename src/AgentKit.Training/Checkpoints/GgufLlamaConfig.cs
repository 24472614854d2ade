using System.Globalization;
using AgentKit.Models.Gguf;
using AgentKit.Training.Model;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Rebuilds the HF-style <see cref="LlamaConfig"/> of a llama or qwen2 GGUF from its <c>{arch}.*</c> metadata and
/// tensor shapes. What <see cref="LlamaForCausalLM"/> cannot represent (per-layer head counts, partial RoPE, RoPE
/// scaling, mixtures of experts) is refused with a <see cref="NotSupportedException"/> rather than approximated.
/// </summary>
internal static class GgufLlamaConfig
{
    /// <summary>Architectures the import rebuilds: the two <see cref="LlamaConfig.ModelType"/>s.</summary>
    public static IReadOnlySet<string> Architectures { get; } = new HashSet<string>(StringComparer.Ordinal) { "llama", "qwen2" };

    /// <summary>The config of <paramref name="file"/>, already checked by <see cref="GgufModelValidator"/>.</summary>
    public static LlamaConfig Read(GgufFile file, string path)
    {
        var arch = file.Architecture!;
        int Required(string suffix) => (int)(Integer(suffix) ?? throw Unsupported($"it has no single integer '{arch}.{suffix}'"));
        long? Integer(string suffix)
        {
            if (file[$"{arch}.{suffix}"] is { Type: GgufValueType.Array })
                throw Unsupported($"'{arch}.{suffix}' differs per layer, which LlamaConfig cannot express");
            return file.GetArchitectureInt(suffix);
        }
        Exception Unsupported(string why) => new NotSupportedException($"Cannot import '{path}': {why}.");

        if ((Integer("expert_count") ?? 0) > 0)
            throw Unsupported("it is a mixture-of-experts model");
        if (file[$"{arch}.rope.scaling.type"] is { Type: GgufValueType.String } scaling && scaling.AsString() != "none")
            throw Unsupported($"it uses '{scaling.AsString()}' RoPE scaling, which LlamaConfig does not implement");

        var hidden = Required("embedding_length");
        var heads = Required("attention.head_count");
        var headDim = hidden / heads;
        foreach (var suffix in new[] { "rope.dimension_count", "attention.key_length", "attention.value_length" })
        {
            if (Integer(suffix) is { } width && width != headDim)
                throw Unsupported($"'{arch}.{suffix}' is {width} but the head width is {headDim} (hidden {hidden} / {heads} heads); partial RoPE and other head widths are not supported");
        }
        var tensors = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var vocab = tensors.TryGetValue("token_embd.weight", out var embedding) && embedding.Dimensions.Count == 2
            ? (int)embedding.Dimensions[1]
            : throw new InvalidDataException($"Cannot import '{path}': it has no two-dimensional 'token_embd.weight'.");
        var config = new LlamaConfig
        {
            ModelType = arch,
            VocabSize = vocab,
            HiddenSize = hidden,
            IntermediateSize = Required("feed_forward_length"),
            NumHiddenLayers = Required("block_count"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = (int)(Integer("attention.head_count_kv") ?? heads),
            MaxPositionEmbeddings = Required("context_length"),
            RmsNormEps = Float(file, $"{arch}.attention.layer_norm_rms_epsilon") ?? throw Unsupported($"it has no '{arch}.attention.layer_norm_rms_epsilon'"),
            RopeTheta = Float(file, $"{arch}.rope.freq_base") ?? 10000, // llama.cpp's default when the key is absent
            TieWordEmbeddings = !tensors.ContainsKey("output.weight"),
            AttentionBias = tensors.ContainsKey("blk.0.attn_q.bias"),
            BosTokenId = TokenId(file, "tokenizer.ggml.bos_token_id", vocab),
            EosTokenId = TokenId(file, "tokenizer.ggml.eos_token_id", vocab),
        };
        try
        {
            return config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Cannot import '{path}': its hyperparameters make no valid model ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// A float hyperparameter as the decimal it was written from: GGUF stores float32, and 1e-5 widened directly would
    /// become 9.99999974737875e-06, so the shortest float32 text is parsed instead.
    /// </summary>
    private static double? Float(GgufFile file, string key) => file[key] switch
    {
        { Type: GgufValueType.Float32 } value => double.Parse(((float)value.Value).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        { Type: not (GgufValueType.String or GgufValueType.Array) } value => value.AsDouble(),
        _ => null,
    };

    private static int? TokenId(GgufFile file, string key, int vocab) =>
        file[key] is { Type: not (GgufValueType.String or GgufValueType.Array or GgufValueType.Float32 or GgufValueType.Float64) } value
        && value.AsInt64() is var id && id >= 0 && id < vocab
            ? (int)id
            : null;
}
