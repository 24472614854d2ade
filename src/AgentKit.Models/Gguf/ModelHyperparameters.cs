namespace AgentKit.Models.Gguf;

/// <summary>
/// The <c>{architecture}.*</c> hyperparameters of a GGUF model, read and range-checked by <see cref="Read"/>. The
/// bounds are llama.cpp's own limits where it has one (it aborts the process past them, e.g. more than 512 layers)
/// and otherwise far beyond any real model, so a lying count is refused before anything is sized from it.
/// </summary>
/// <param name="BlockCount">Transformer blocks (<c>block_count</c>).</param>
/// <param name="Embedding">Hidden size (<c>embedding_length</c>).</param>
/// <param name="HeadCount">Attention heads per layer, or null when the architecture has none.</param>
/// <param name="HeadCountKv">Key/value heads per layer, or null (then equal to <paramref name="HeadCount"/>).</param>
/// <param name="FeedForward">Feed-forward width per layer, or null.</param>
/// <param name="KeyLength">Key head size when given explicitly (<c>attention.key_length</c>).</param>
/// <param name="ValueLength">Value head size when given explicitly (<c>attention.value_length</c>).</param>
/// <param name="RopeDimensions">Rotated dimensions per head (<c>rope.dimension_count</c>), or null.</param>
/// <param name="ExpertCount">Experts of a mixture-of-experts model (0 for a dense one).</param>
internal sealed record ModelHyperparameters(
    int BlockCount, long Embedding, long[]? HeadCount, long[]? HeadCountKv, long[]? FeedForward,
    long? KeyLength, long? ValueLength, long? RopeDimensions, long ExpertCount)
{
    /// <summary>llama.cpp's <c>LLAMA_MAX_LAYERS</c>: it asserts (aborts) on more.</summary>
    public const int MaxLayers = 512;

    /// <summary>llama.cpp's <c>LLAMA_MAX_EXPERTS</c>: it asserts (aborts) on more.</summary>
    public const int MaxExperts = 512;

    /// <summary>Bound for widths and head counts: real models stay below 2^17, so 2^24 only stops absurd values.</summary>
    public const long MaxWidth = 1 << 24;

    /// <summary>Reads and checks the hyperparameters every supported architecture shares.</summary>
    public static ModelHyperparameters Read(ModelFileCheck check)
    {
        var layers = (int)check.RequiredInteger(check.Key("block_count"), 1, MaxLayers);
        var embedding = check.RequiredInteger(check.Key("embedding_length"), 1, MaxWidth);
        check.RequiredInteger(check.Key("context_length"), 1, uint.MaxValue);
        var heads = check.PerLayer(check.Key("attention.head_count"), layers, 0, MaxWidth);
        var kvHeads = check.PerLayer(check.Key("attention.head_count_kv"), layers, 0, MaxWidth);
        var feedForward = check.PerLayer(check.Key("feed_forward_length"), layers, 0, MaxWidth);
        var keyLength = check.Integer(check.Key("attention.key_length"), 1, MaxWidth);
        var valueLength = check.Integer(check.Key("attention.value_length"), 1, MaxWidth);
        var rope = check.Integer(check.Key("rope.dimension_count"), 0, MaxWidth);

        // llama.cpp asserts these relations instead of reporting them.
        var experts = check.Integer(check.Key("expert_count"), 0, MaxExperts) ?? 0;
        var used = check.Integer(check.Key("expert_used_count"), 0, MaxExperts) ?? 0;
        if (used > experts)
            throw check.Fail($"'{check.Key("expert_used_count")}' is {used}, more than the {experts} experts of '{check.Key("expert_count")}'");
        if (experts > 0 && used == 0)
            throw check.Fail($"'{check.Key("expert_count")}' is {experts} but '{check.Key("expert_used_count")}' is missing or 0");

        CheckFloats(check);
        return new ModelHyperparameters(layers, embedding, heads, kvHeads, feedForward, keyLength, valueLength, rope, experts);
    }

    /// <summary>Key heads size of layer <paramref name="layer"/>: explicit, or the hidden size split over the heads.</summary>
    public long KeyHeadSize(int layer) => KeyLength ?? Embedding / HeadCount![layer];

    /// <summary>Value head size of layer <paramref name="layer"/>: explicit, or the key head size.</summary>
    public long ValueHeadSize(int layer) => ValueLength ?? KeyHeadSize(layer);

    private static void CheckFloats(ModelFileCheck check)
    {
        // Every float hyperparameter must be finite; epsilons also non-negative (ggml's norms assert eps >= 0)
        // and the RoPE base positive.
        var prefix = check.Architecture + ".";
        foreach (var (key, value) in check.File.Metadata)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || value.Type is not (GgufValueType.Float32 or GgufValueType.Float64))
                continue;
            var number = check.Float(key)!.Value;
            if (key.EndsWith("epsilon", StringComparison.Ordinal) && number < 0)
                throw check.Fail($"'{key}' is {value}; a normalisation epsilon cannot be negative");
            if (key.EndsWith("rope.freq_base", StringComparison.Ordinal) && number <= 0)
                throw check.Fail($"'{key}' is {value}; the RoPE base must be positive");
        }
    }
}
