using AgentKit.Models.Gguf;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using LLama;
using LLama.Native;
using static TorchSharp.torch;

namespace AgentKit.Training.Export;

/// <summary>
/// Writes a <see cref="LlamaForCausalLM"/> and its byte-level BPE tokenizer as a GGUF that llama.cpp runs:
/// <c>llama</c> arch (Q/K rows permuted from HF's rotate-half RoPE to llama.cpp's interleaved pairs) or
/// <c>qwen2</c> arch (NeoX RoPE, no permutation, q/k/v biases). LoRA adapters must be merged first.
/// </summary>
public static class GgufExporter
{
    /// <summary>Exports to <paramref name="path"/>; returns the path written.</summary>
    public static string Export(LlamaForCausalLM model, ByteLevelBpeTokenizer tokenizer, string path, GgufExportOptions? options = null)
    {
        options ??= new GgufExportOptions();
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (model.HasLora)
            throw new InvalidOperationException("Merge the LoRA adapters (MergeLora) before exporting.");
        var config = model.Config;
        if (tokenizer.VocabSize > config.VocabSize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabSize} tokens but the model's vocabulary is {config.VocabSize}.");
        if (options.Type == GgufExportType.Q8_0)
        {
            // ggml quantises whole rows of 32-element blocks; llama.cpp has no fallback type for q8_0.
            if (config.HiddenSize % 32 != 0 || config.IntermediateSize % 32 != 0)
                throw new InvalidOperationException(
                    $"q8_0 needs hidden_size and intermediate_size to be multiples of 32 (got {config.HiddenSize} and {config.IntermediateSize}); export as f16 instead.");
            var staging = path + ".f16-staging.gguf";
            try
            {
                Export(model, tokenizer, staging, options with { Type = GgufExportType.F16, Name = options.Name ?? Path.GetFileNameWithoutExtension(path) });
                Quantise(staging, path, options.Threads);
            }
            finally
            {
                File.Delete(staging);
            }
            return path;
        }

        var arch = config.ModelType == "qwen2" ? "qwen2" : "llama";
        // llama.cpp's qwen2 graph requires the q/k/v biases; it has no variant without them.
        if (arch == "qwen2" && !config.HasQkvBias)
            throw new InvalidOperationException("llama.cpp's qwen2 architecture needs q/k/v biases, and this model has attention_bias = false.");
        var writer = new GgufWriter();
        writer.Add("general.architecture", GgufValue.String(arch));
        writer.Add("general.name", GgufValue.String(options.Name ?? Path.GetFileNameWithoutExtension(path)));
        writer.Add("general.file_type", GgufValue.UInt32(options.Type == GgufExportType.F32 ? 0u : 1u));
        writer.Add($"{arch}.context_length", GgufValue.UInt32((uint)config.MaxPositionEmbeddings));
        writer.Add($"{arch}.embedding_length", GgufValue.UInt32((uint)config.HiddenSize));
        writer.Add($"{arch}.block_count", GgufValue.UInt32((uint)config.NumHiddenLayers));
        writer.Add($"{arch}.feed_forward_length", GgufValue.UInt32((uint)config.IntermediateSize));
        writer.Add($"{arch}.attention.head_count", GgufValue.UInt32((uint)config.NumAttentionHeads));
        writer.Add($"{arch}.attention.head_count_kv", GgufValue.UInt32((uint)config.NumKeyValueHeads));
        writer.Add($"{arch}.rope.freq_base", GgufValue.Float32((float)config.RopeTheta));
        writer.Add($"{arch}.rope.dimension_count", GgufValue.UInt32((uint)config.HeadDim));
        writer.Add($"{arch}.attention.layer_norm_rms_epsilon", GgufValue.Float32((float)config.RmsNormEps));
        writer.Add($"{arch}.vocab_size", GgufValue.UInt32((uint)config.VocabSize));
        AddTokenizer(writer, tokenizer, config, options.PreTokenizer, options.ChatTemplate);

        var state = model.state_dict();
        var matrixType = options.Type == GgufExportType.F32 ? GgmlType.F32 : GgmlType.F16;
        void Add(string ggufName, string hfName, GgmlType type, Func<Tensor, Tensor>? transform = null)
        {
            if (!state.TryGetValue(hfName, out var tensor))
                throw new InvalidOperationException($"The model has no tensor '{hfName}'.");
            var shape = tensor.shape;
            // GGUF lists dimensions innermost first: a torch [out, in] matrix is [in, out].
            var dims = shape.Reverse().ToArray();
            if (dims.Length == 1)
                type = GgmlType.F32; // norms and biases stay f32, as llama.cpp's converter keeps them

            writer.AddTensor(ggufName, dims, type, () =>
            {
                using var scope = NewDisposeScope();
                var data = (transform?.Invoke(tensor) ?? tensor).detach().to_type(ScalarType.Float32).contiguous();
                return data.data<float>().ToArray();
            });
        }

        Add("token_embd.weight", "model.embed_tokens.weight", matrixType);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var hf = $"model.layers.{i}.";
            var gg = $"blk.{i}.";
            var permute = arch == "llama";
            Add(gg + "attn_norm.weight", hf + "input_layernorm.weight", GgmlType.F32);
            Add(gg + "attn_q.weight", hf + "self_attn.q_proj.weight", matrixType, permute ? t => PermuteForLlamaCpp(t, config.NumAttentionHeads) : null);
            Add(gg + "attn_k.weight", hf + "self_attn.k_proj.weight", matrixType, permute ? t => PermuteForLlamaCpp(t, config.NumKeyValueHeads) : null);
            Add(gg + "attn_v.weight", hf + "self_attn.v_proj.weight", matrixType);
            Add(gg + "attn_output.weight", hf + "self_attn.o_proj.weight", matrixType);
            if (config.HasQkvBias)
            {
                Add(gg + "attn_q.bias", hf + "self_attn.q_proj.bias", GgmlType.F32, permute ? t => PermuteForLlamaCpp(t, config.NumAttentionHeads) : null);
                Add(gg + "attn_k.bias", hf + "self_attn.k_proj.bias", GgmlType.F32, permute ? t => PermuteForLlamaCpp(t, config.NumKeyValueHeads) : null);
                Add(gg + "attn_v.bias", hf + "self_attn.v_proj.bias", GgmlType.F32);
            }
            Add(gg + "ffn_norm.weight", hf + "post_attention_layernorm.weight", GgmlType.F32);
            Add(gg + "ffn_gate.weight", hf + "mlp.gate_proj.weight", matrixType);
            Add(gg + "ffn_up.weight", hf + "mlp.up_proj.weight", matrixType);
            Add(gg + "ffn_down.weight", hf + "mlp.down_proj.weight", matrixType);
        }
        Add("output_norm.weight", "model.norm.weight", GgmlType.F32);
        if (!config.TieWordEmbeddings)
            Add("output.weight", "lm_head.weight", matrixType);
        writer.Write(path);
        return path;
    }

    /// <summary>
    /// HF → llama.cpp row order for Q/K of the llama arch: within each head, rows (0..d/2, d/2..d) pairs become
    /// interleaved (as <c>convert_hf_to_gguf.py</c>'s <c>permute</c>). Works on weights [out, in] and biases [out].
    /// </summary>
    public static Tensor PermuteForLlamaCpp(Tensor weight, int heads)
    {
        var shape = weight.shape;
        var rest = shape.Skip(1).ToArray();
        long[] view = [heads, 2, shape[0] / heads / 2, .. rest];
        return weight.reshape(view).transpose(1, 2).reshape(shape);
    }

    /// <summary>Quantises a GGUF to q8_0 with llama.cpp's quantizer.</summary>
    public static void Quantise(string source, string destination, int threads)
    {
        // Loads the native library before the quantizer's first call (LLamaQuantizer does not do it itself),
        // and keeps llama.cpp's log off stdout, which may carry a --json document.
        NativeApi.llama_empty_call();
        NativeLogConfig.llama_log_set((level, message) => { });
        if (!LLamaQuantizer.Quantize(source, destination, LLamaFtype.MOSTLY_Q8_0, threads, allowRequantize: false, quantizeOutputTensor: true))
            throw new InvalidOperationException($"llama.cpp could not quantise '{source}' to q8_0.");
    }

    private static void AddTokenizer(GgufWriter writer, ByteLevelBpeTokenizer tokenizer, LlamaConfig config, string preTokenizer, string? chatTemplate)
    {
        var tokens = tokenizer.Tokens.ToList();
        var types = tokens.Select(t => tokenizer.SpecialTokens.ContainsKey(t) ? 3 : 1).ToList();
        // llama.cpp needs one token string per embedding row; unused rows get placeholder names.
        for (var id = tokens.Count; id < config.VocabSize; id++)
        {
            tokens.Add($"[PAD{id}]");
            types.Add(5); // unused
        }
        writer.Add("tokenizer.ggml.model", GgufValue.String("gpt2"));
        writer.Add("tokenizer.ggml.pre", GgufValue.String(preTokenizer));
        writer.Add("tokenizer.ggml.tokens", GgufValue.Array(tokens));
        writer.Add("tokenizer.ggml.token_type", GgufValue.Array(types));
        writer.Add("tokenizer.ggml.merges", GgufValue.Array(tokenizer.Merges.Select(m => $"{m.Left} {m.Right}")));
        var eos = tokenizer.SpecialTokenId(ChatFormat.ImEnd) ?? tokenizer.EosId;
        if (tokenizer.EosId is { } endOfText)
        {
            writer.Add("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)endOfText));
            writer.Add("tokenizer.ggml.padding_token_id", GgufValue.UInt32((uint)endOfText));
        }
        if (eos is { } eosId)
            writer.Add("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)eosId));
        writer.Add("tokenizer.ggml.add_bos_token", GgufValue.Bool(false));
        writer.Add("tokenizer.ggml.add_eos_token", GgufValue.Bool(false));
        if (chatTemplate is not null)
            writer.Add("tokenizer.chat_template", GgufValue.String(chatTemplate));
        else if (tokenizer.SpecialTokenId(ChatFormat.ImStart) is not null)
            writer.Add("tokenizer.chat_template", GgufValue.String(ChatFormat.JinjaTemplate));
    }
}
