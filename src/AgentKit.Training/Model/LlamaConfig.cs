using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Training.Model;

/// <summary>
/// Shape of a Llama-family decoder, with the Hugging Face <c>config.json</c> field names so the same file
/// describes a checkpoint here and in transformers. <see cref="ModelType"/> <c>llama</c> or <c>qwen2</c>
/// (Qwen2 adds q/k/v biases). Validated by <see cref="Validate"/>.
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>HF <c>model_type</c>: <c>llama</c> or <c>qwen2</c> (default llama).</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";

    /// <summary>Tokens in the vocabulary (rows of the embedding).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 512;

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 64;

    /// <summary>Width of the SwiGLU hidden layer.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 176;

    /// <summary>Decoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 2;

    /// <summary>Query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;

    /// <summary>Key/value heads (grouped-query attention when fewer than query heads).</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; init; } = 2;

    /// <summary>Longest sequence the model is used with (RoPE needs no table limit, but exports record it).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;

    /// <summary>RoPE base frequency.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000;

    /// <summary>Whether <c>lm_head</c> shares the embedding matrix.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Bias on q/k/v projections; null means the architecture default (true for qwen2, false for llama).</summary>
    [JsonPropertyName("attention_bias")] public bool? AttentionBias { get; init; }

    /// <summary>Beginning-of-sequence token id, if any.</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence token id, if any.</summary>
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; }

    /// <summary>HF <c>torch_dtype</c> recorded in saved configs (tensors are always loaded as float32 here).</summary>
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    /// <summary>HF <c>hidden_act</c> of the MLP; only <c>silu</c> (SwiGLU) is implemented.</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";

    /// <summary>HF <c>rope_scaling</c> (YaRN, Llama 3, linear, …); not implemented, so a config that sets it is refused.</summary>
    [JsonPropertyName("rope_scaling")] public System.Text.Json.Nodes.JsonObject? RopeScaling { get; init; }

    /// <summary>Qwen2's <c>use_sliding_window</c>; attention here is always full, so <c>true</c> is refused.</summary>
    [JsonPropertyName("use_sliding_window")] public bool? UseSlidingWindow { get; init; }

    /// <summary>HF architecture class names.</summary>
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>True when q/k/v projections carry a bias.</summary>
    [JsonIgnore] public bool HasQkvBias => AttentionBias ?? ModelType == "qwen2";

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first inconsistency found.</summary>
    public LlamaConfig Validate()
    {
        if (ModelType is not ("llama" or "qwen2"))
            throw new ArgumentException($"model_type must be 'llama' or 'qwen2', got '{ModelType}'.");
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} must be a multiple of num_attention_heads {NumAttentionHeads}.");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw new ArgumentException($"num_attention_heads {NumAttentionHeads} must be a multiple of num_key_value_heads {NumKeyValueHeads}.");
        if (HeadDim % 2 != 0)
            throw new ArgumentException($"The head width {HeadDim} must be even for rotary embeddings.");
        if (!(RmsNormEps > 0))
            throw new ArgumentException($"rms_norm_eps must be > 0, got {RmsNormEps}.");
        if (!(RopeTheta > 0))
            throw new ArgumentException($"rope_theta must be > 0, got {RopeTheta}.");
        if (HiddenAct != "silu")
            throw new ArgumentException($"hidden_act '{HiddenAct}' is not supported; the MLP is SwiGLU (silu).");
        if (RopeScaling is not null)
            throw new ArgumentException($"rope_scaling {RopeScaling.ToJsonString()} is not supported; only plain RoPE (rope_theta) is implemented.");
        if (UseSlidingWindow == true)
            throw new ArgumentException("use_sliding_window = true is not supported; attention here is always over the whole context.");
        if (BosTokenId is { } bos && (bos < 0 || bos >= VocabSize))
            throw new ArgumentException($"bos_token_id {bos} is outside the vocabulary of {VocabSize}.");
        if (EosTokenId is { } eos && (eos < 0 || eos >= VocabSize))
            throw new ArgumentException($"eos_token_id {eos} is outside the vocabulary of {VocabSize}.");
        return this;
    }

    /// <summary>Parameter count of the model this config describes.</summary>
    public long ParameterCount()
    {
        long d = HiddenSize, kv = (long)NumKeyValueHeads * HeadDim;
        long attention = d * d * 2 + d * kv * 2 + (HasQkvBias ? d + 2 * kv : 0);
        long layer = attention + 3 * d * IntermediateSize + 2 * d;
        return VocabSize * d * (TieWordEmbeddings ? 1 : 2) + NumHiddenLayers * layer + d;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Reads and validates an HF <c>config.json</c>; unknown fields are ignored.</summary>
    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model config '{path}' does not exist.", path);
        LlamaConfig? config;
        try
        {
            var json = File.ReadAllText(path);
            config = JsonSerializer.Deserialize<LlamaConfig>(NormaliseEosArray(json), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model config '{path}' is not valid JSON: {ex.Message}", ex);
        }
        if (config is null)
            throw new InvalidDataException($"Model config '{path}' is empty.");
        try
        {
            return config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Model config '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Writes the config as HF <c>config.json</c>.</summary>
    public void Save(string path)
    {
        var withArchitecture = this with
        {
            Architectures = Architectures ?? [ModelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"],
            AttentionBias = HasQkvBias,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(withArchitecture, JsonOptions));
    }

    // Some HF configs list several eos ids; the first is the one generation stops on here.
    private static string NormaliseEosArray(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json);
        if (node is System.Text.Json.Nodes.JsonObject obj && obj["eos_token_id"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } ids)
            obj["eos_token_id"] = ids[0]!.GetValue<int>();
        return node?.ToJsonString() ?? json;
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentException($"{name} must be >= 1, got {value}.");
    }
}
