using AgentKit.Models.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.Gguf;

/// <summary>
/// Well-formed GGUFs whose metadata lies, each with the words its error must contain. <see cref="Lie.AbortsLlamaCpp"/>
/// marks those that made llama.cpp abort the process (exit 134/139) before the validator knew about them.
/// </summary>
internal static class LyingModels
{
    public sealed record Lie(Func<LyingLlamaFile> Build, string Expected, bool AbortsLlamaCpp = false);

    private static GgufValue U32(uint value) => GgufValue.UInt32(value);

    public static IReadOnlyDictionary<string, Lie> All { get; } = new Dictionary<string, Lie>
    {
        ["block_count above the blocks present"] = new(() => new LyingLlamaFile().Set("llama.block_count", U32(3)), "block 2 has no tensors"),
        ["block_count below the blocks present"] = new(() => new LyingLlamaFile().Set("llama.block_count", U32(1)), "belongs to block 1"),
        ["block_count 0"] = new(() => new LyingLlamaFile().Set("llama.block_count", U32(0)), "'llama.block_count' is 0", true),
        ["block_count 2^30"] = new(() => new LyingLlamaFile().Set("llama.block_count", U32(1u << 30)), "outside the possible range 1 to 512", true),
        ["block_count a string"] = new(() => new LyingLlamaFile().Set("llama.block_count", GgufValue.String("two")), "is a String, not an integer"),
        ["embedding_length not the tensors'"] = new(() => new LyingLlamaFile().Set("llama.embedding_length", U32(32)), "'token_embd.weight' has shape [64, 269] but the hyperparameters make it [32, 269]"),
        ["head_count 0"] = new(() => new LyingLlamaFile().Set("llama.attention.head_count", U32(0)), "attention needs at least one head"),
        ["head_count not dividing the kv heads"] = new(() => new LyingLlamaFile().Set("llama.attention.head_count", U32(3)), "divide the 3 attention heads"),
        ["head_count per layer, too few"] = new(() => new LyingLlamaFile().Set("llama.attention.head_count", GgufValue.Array(new uint[] { 4 })), "has 1 per-layer values but the model has 2 layers"),
        ["head_count_kv 3"] = new(() => new LyingLlamaFile().Set("llama.attention.head_count_kv", U32(3)), "'llama.attention.head_count_kv' is 3"),
        ["feed_forward_length not the tensors'"] = new(() => new LyingLlamaFile().Set("llama.feed_forward_length", U32(64)), "'blk.0.ffn_gate.weight' has shape [64, 128]"),
        ["context_length 0"] = new(() => new LyingLlamaFile().Set("llama.context_length", U32(0)), "'llama.context_length' is 0"),
        ["rope dimensions odd"] = new(() => new LyingLlamaFile().Set("llama.rope.dimension_count", U32(15)), "must be even"),
        ["negative rms epsilon"] = new(() => new LyingLlamaFile().Set("llama.attention.layer_norm_rms_epsilon", GgufValue.Float32(-1)), "cannot be negative", true),
        ["NaN rope base"] = new(() => new LyingLlamaFile().Set("llama.rope.freq_base", GgufValue.Float32(float.NaN)), "not a finite number"),
        ["rms epsilon missing"] = new(() => new LyingLlamaFile().Remove("llama.attention.layer_norm_rms_epsilon"), "'llama.attention.layer_norm_rms_epsilon' is missing"),
        ["more experts used than exist"] = new(() => new LyingLlamaFile().Set("llama.expert_count", U32(0)).Set("llama.expert_used_count", U32(2)), "more than the 0 experts", true),
        ["vocab_size not the token count"] = new(() => new LyingLlamaFile().Set("llama.vocab_size", U32(10)), "'llama.vocab_size' is 10 but 'tokenizer.ggml.tokens' has 269"),
        ["tokens fewer than embedding rows"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.tokens", GgufValue.Array(ByteLevelVocabulary.Default.Tokens.Take(100))), "has 269 entries but 'tokenizer.ggml.tokens' has 100"),
        ["duplicate token texts"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.tokens", GgufValue.Array(Enumerable.Repeat("a", 269))), "appears twice", true),
        ["tokens as integers"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.tokens", GgufValue.Array(Enumerable.Range(0, 269))), "not an array of String", true),
        ["token_type too short"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.token_type", GgufValue.Array(new[] { 1, 1, 1 })), "'tokenizer.ggml.token_type' has 3 entries"),
        ["token_type too long"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.token_type", GgufValue.Array(Enumerable.Repeat(1, 5000))), "has 5000 entries"),
        ["token_type as bytes"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.token_type", GgufValue.Array(Enumerable.Repeat((byte)1, 269))), "not an array of Int32"),
        ["scores too short"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.scores", GgufValue.Array(new[] { 1f })), "'tokenizer.ggml.scores' has 1 entries"),
        ["eos id outside the vocabulary"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.eos_token_id", U32(999_999)), "'tokenizer.ggml.eos_token_id' is 999999"),
        ["unknown tokenizer model"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.model", GgufValue.String("bogus")), "'tokenizer.ggml.model' is 'bogus'"),
        ["SentencePiece without byte tokens"] = new(() => new LyingLlamaFile().Set("tokenizer.ggml.model", GgufValue.String("llama")), "no byte token <0x00>", true),
        ["attn_q of the wrong shape"] = new(() => new LyingLlamaFile().Reshape("blk.0.attn_q.weight", 64, 32), "'blk.0.attn_q.weight' has shape [64, 32]"),
        ["ffn_down transposed"] = new(() => new LyingLlamaFile().Reshape("blk.0.ffn_down.weight", 64, 128), "make it [128, 64]"),
        ["token embedding with a third dimension"] = new(() => new LyingLlamaFile().Reshape("token_embd.weight", 64, 269, 2), "[64, 269, 2]", true),
        ["norm stored as F16"] = new(() => new LyingLlamaFile().Retype("blk.0.attn_norm.weight", GgmlType.F16), "norms and biases must be F32", true),
        ["norm stored as Q8_0"] = new(() => new LyingLlamaFile().Retype("output_norm.weight", GgmlType.Q8_0), "norms and biases must be F32", true),
        ["integer token embedding"] = new(() => new LyingLlamaFile().Retype("token_embd.weight", GgmlType.I32), "is stored as I32", true),
        ["integer attention matrix"] = new(() => new LyingLlamaFile().Retype("blk.0.attn_q.weight", GgmlType.I8), "is stored as I8", true),
        ["output_norm missing"] = new(() => new LyingLlamaFile().Drop("output_norm.weight"), "the required tensor 'output_norm.weight' is missing"),
        ["tensor of a block beyond block_count"] = new(() => new LyingLlamaFile().AddTensor("blk.7.attn_norm.weight", 64), "belongs to block 7"),
    };

    /// <summary>Case names for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names() => new(All.Keys);

    /// <summary>The cases that used to abort the process inside llama.cpp.</summary>
    public static TheoryData<string> NativeAborts() => new(All.Where(kv => kv.Value.AbortsLlamaCpp).Select(kv => kv.Key));

    /// <summary>Writes case <paramref name="name"/> to a temporary file.</summary>
    public static string Write(string name) => All[name].Build().Write(new string(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()) + ".gguf");
}
