namespace AgentKit.Models.Gguf;

/// <summary>
/// The tensor layout of the llama family (<c>llama</c>, which also carries Mistral 7B and Mixtral, <c>qwen2</c> and
/// <c>qwen3</c>): the shape of every attention, norm and feed-forward tensor follows from the hyperparameters, so a
/// header that lies about them (more blocks, another hidden size, heads that do not divide it) is caught here with a
/// message that names the key and the tensor, instead of by llama.cpp's assertions. Other architectures get the
/// generic checks of <see cref="TensorRules"/> only.
/// </summary>
internal static class LlamaLayoutRules
{
    /// <summary>Architectures whose tensors this class knows.</summary>
    public static IReadOnlySet<string> Architectures { get; } = new HashSet<string>(StringComparer.Ordinal) { "llama", "qwen2", "qwen3" };

    public static void Check(ModelFileCheck check, ModelHyperparameters hyper, int? vocabulary)
    {
        var heads = hyper.HeadCount ?? throw check.Fail($"the required key '{check.Key("attention.head_count")}' is missing");
        var kvHeads = hyper.HeadCountKv ?? heads;
        if (check.File[check.Key("attention.layer_norm_rms_epsilon")] is null)
            throw check.Fail($"the required key '{check.Key("attention.layer_norm_rms_epsilon")}' is missing");
        if (hyper.ExpertCount == 0 && hyper.FeedForward is null)
            throw check.Fail($"the required key '{check.Key("feed_forward_length")}' is missing");
        if (vocabulary is null)
            throw check.Fail($"a '{check.Architecture}' model needs a vocabulary but 'tokenizer.ggml.model' says it has none");

        var tensors = check.File.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        void Expect(string name, bool required, string meaning, params long[] shape)
        {
            if (tensors.TryGetValue(name, out var tensor))
                TensorRules.RequireShape(check, tensor, shape, meaning);
            else if (required)
                throw check.Fail($"the required tensor '{name}' is missing");
        }

        long embd = hyper.Embedding, vocab = vocabulary.Value;
        Expect("token_embd.weight", true, "[embedding_length, vocabulary size]", embd, vocab);
        Expect("output_norm.weight", true, "[embedding_length]", embd);
        Expect("output.weight", false, "[embedding_length, vocabulary size]", embd, vocab);
        for (var layer = 0; layer < hyper.BlockCount; layer++)
        {
            CheckHeads(check, hyper, heads[layer], kvHeads[layer], layer);
            long h = heads[layer], kv = kvHeads[layer], k = hyper.KeyHeadSize(layer), v = hyper.ValueHeadSize(layer);
            var block = $"blk.{layer}.";
            Expect(block + "attn_norm.weight", true, "[embedding_length]", embd);
            Expect(block + "attn_q.weight", true, "[embedding_length, heads * key head size]", embd, k * h);
            Expect(block + "attn_k.weight", true, "[embedding_length, kv heads * key head size]", embd, k * kv);
            Expect(block + "attn_v.weight", true, "[embedding_length, kv heads * value head size]", embd, v * kv);
            Expect(block + "attn_output.weight", true, "[heads * value head size, embedding_length]", v * h, embd);
            Expect(block + "attn_q.bias", false, "[heads * key head size]", k * h);
            Expect(block + "attn_k.bias", false, "[kv heads * key head size]", k * kv);
            Expect(block + "attn_v.bias", false, "[kv heads * value head size]", v * kv);
            Expect(block + "attn_output.bias", false, "[embedding_length]", embd);
            Expect(block + "attn_q_norm.weight", false, "[key head size]", k);
            Expect(block + "attn_k_norm.weight", false, "[key head size]", k);
            Expect(block + "ffn_norm.weight", true, "[embedding_length]", embd);
            if (hyper.ExpertCount == 0)
            {
                var ff = hyper.FeedForward![layer];
                Expect(block + "ffn_gate.weight", true, "[embedding_length, feed_forward_length]", embd, ff);
                Expect(block + "ffn_up.weight", true, "[embedding_length, feed_forward_length]", embd, ff);
                Expect(block + "ffn_down.weight", true, "[feed_forward_length, embedding_length]", ff, embd);
            }
            else
            {
                Expect(block + "ffn_gate_inp.weight", true, "[embedding_length, expert_count]", embd, hyper.ExpertCount);
            }
        }
    }

    private static void CheckHeads(ModelFileCheck check, ModelHyperparameters hyper, long heads, long kvHeads, int layer)
    {
        var at = hyper.BlockCount > 1 && hyper.HeadCount!.Distinct().Count() > 1 ? $" in layer {layer}" : "";
        if (heads < 1)
            throw check.Fail($"'{check.Key("attention.head_count")}' is {heads}{at}; attention needs at least one head");
        if (kvHeads < 1 || kvHeads > heads || heads % kvHeads != 0)
            throw check.Fail($"'{check.Key("attention.head_count_kv")}' is {kvHeads}{at}; it must be at least 1 and divide the {heads} attention heads");
        if (hyper.KeyLength is null && hyper.Embedding % heads != 0)
            throw check.Fail($"'{check.Key("embedding_length")}' {hyper.Embedding} is not divisible by the {heads} attention heads{at} (and no key_length is given)");
        var keyHead = hyper.KeyHeadSize(layer);
        if (hyper.RopeDimensions is { } rope && (rope > keyHead || rope % 2 != 0))
            throw check.Fail($"'{check.Key("rope.dimension_count")}' is {rope}; RoPE rotates pairs within a head, so it must be even and at most the key head size {keyHead}");
    }
}
