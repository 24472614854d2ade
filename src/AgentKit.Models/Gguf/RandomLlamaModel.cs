namespace AgentKit.Models.Gguf;

/// <summary>
/// Writes llama-architecture GGUF files with random weights and a real byte-level tokenizer, so tests and
/// benchmarks can load a model through llama.cpp without downloading one.
/// </summary>
public static class RandomLlamaModel
{
    /// <summary>The ChatML chat template (llama.cpp recognises it by its <c>&lt;|im_start|&gt;</c> markers).</summary>
    public const string ChatMLTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Writes a random model with <paramref name="options"/> to <paramref name="path"/> (atomically).</summary>
    public static void Write(string path, RandomLlamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CreateWriter(options).Write(path);
    }

    /// <summary>Builds the writer without writing, e.g. to stream the model elsewhere.</summary>
    public static GgufWriter CreateWriter(RandomLlamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var vocab = ByteLevelVocabulary.Default;
        int embd = options.Embedding, ff = options.FeedForward, headDim = embd / options.Heads, kv = headDim * options.KvHeads;

        var writer = new GgufWriter()
            .Add("general.architecture", GgufValue.String("llama"))
            .Add("general.name", GgufValue.String(options.Name))
            .Add("general.file_type", GgufValue.UInt32(options.F16 ? 1u : 0u)) // llama_ftype: ALL_F32 / MOSTLY_F16
            .Add("general.alignment", GgufValue.UInt32(GgufWriter.DefaultAlignment))
            .Add("llama.context_length", GgufValue.UInt32((uint)options.ContextLength))
            .Add("llama.embedding_length", GgufValue.UInt32((uint)embd))
            .Add("llama.block_count", GgufValue.UInt32((uint)options.Layers))
            .Add("llama.feed_forward_length", GgufValue.UInt32((uint)ff))
            .Add("llama.attention.head_count", GgufValue.UInt32((uint)options.Heads))
            .Add("llama.attention.head_count_kv", GgufValue.UInt32((uint)options.KvHeads))
            .Add("llama.rope.dimension_count", GgufValue.UInt32((uint)headDim))
            .Add("llama.rope.freq_base", GgufValue.Float32(10000f))
            .Add("llama.attention.layer_norm_rms_epsilon", GgufValue.Float32(1e-5f))
            .Add("llama.vocab_size", GgufValue.UInt32((uint)vocab.Count))
            .Add("tokenizer.ggml.model", GgufValue.String("gpt2"))
            .Add("tokenizer.ggml.pre", GgufValue.String("default"))
            .Add("tokenizer.ggml.tokens", GgufValue.Array(vocab.Tokens))
            .Add("tokenizer.ggml.token_type", GgufValue.Array(vocab.TokenTypes))
            .Add("tokenizer.ggml.merges", GgufValue.Array(vocab.Merges))
            .Add("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)vocab.EndOfTextId))
            .Add("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)vocab.ImEndId))
            .Add("tokenizer.ggml.padding_token_id", GgufValue.UInt32((uint)vocab.EndOfTextId))
            .Add("tokenizer.ggml.add_bos_token", GgufValue.Bool(false));
        if (options.ChatTemplate is not null)
            writer.Add("tokenizer.chat_template", GgufValue.String(options.ChatTemplate));

        var matrix = options.F16 ? GgmlType.F16 : GgmlType.F32;
        var seed = options.Seed;
        var tensorIndex = 0;
        // Each tensor gets its own seeded generator, so data can be produced lazily in any order.
        void Random(string name, long inner, long outer) =>
            writer.AddTensor(name, [inner, outer], matrix, RandomData(inner * outer, seed, tensorIndex++, 1 / MathF.Sqrt(inner)));
        void Ones(string name) => writer.AddTensor(name, [embd], GgmlType.F32, Enumerable.Repeat(1f, embd).ToArray());

        Random("token_embd.weight", embd, vocab.Count);
        for (var layer = 0; layer < options.Layers; layer++)
        {
            var block = $"blk.{layer}.";
            Ones(block + "attn_norm.weight");
            Random(block + "attn_q.weight", embd, embd);
            Random(block + "attn_k.weight", embd, kv);
            Random(block + "attn_v.weight", embd, kv);
            Random(block + "attn_output.weight", embd, embd);
            Ones(block + "ffn_norm.weight");
            Random(block + "ffn_gate.weight", embd, ff);
            Random(block + "ffn_up.weight", embd, ff);
            Random(block + "ffn_down.weight", ff, embd);
        }
        Ones("output_norm.weight");
        if (!options.TieEmbeddings)
            Random("output.weight", embd, vocab.Count);
        return writer;
    }

    private static Func<ReadOnlyMemory<float>> RandomData(long count, int seed, int tensorIndex, float scale) => () =>
    {
        // Uniform in [-scale*sqrt(3), scale*sqrt(3)]: variance scale^2, cheap to draw for 100M parameters.
        var random = new Random(unchecked(seed * 1_000_003 + tensorIndex)); // not HashCode: it is randomised per process
        var data = new float[count];
        var width = 2 * scale * MathF.Sqrt(3);
        for (var i = 0; i < data.Length; i++)
            data[i] = (random.NextSingle() - 0.5f) * width;
        return data;
    };
}
