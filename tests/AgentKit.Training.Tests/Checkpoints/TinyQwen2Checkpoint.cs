using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>
/// A tiny random-init Qwen2 checkpoint in the layout Hugging Face publishes one: Qwen2's <c>config.json</c> keys, two
/// bf16 safetensors shards with an index (written by TestUtils' independent writer, not the code under test), a
/// <c>tokenizer.json</c> with Qwen2's pre-tokenizer (NFC, Split regex, ByteLevel without regex) and a
/// <c>tokenizer_config.json</c> with a Qwen-style chat template that adds a default system message.
/// </summary>
internal sealed class TinyQwen2Checkpoint
{
    public const string ChatTemplate =
        "{%- if messages[0]['role'] != 'system' %}{{- '<|im_start|>system\\nYou are a tiny test model.<|im_end|>\\n' }}{%- endif %}" +
        "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{%- endfor %}" +
        "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    private static readonly Lazy<TinyQwen2Checkpoint> Shared = new(() => new TinyQwen2Checkpoint(TinyFixtures.TempDir()));

    /// <summary>One checkpoint per test run (tests only read it).</summary>
    public static TinyQwen2Checkpoint Instance => Shared.Value;

    public string Directory { get; }

    public LlamaConfig Config { get; }

    /// <summary>The stored weights (bf16 values) by HF name, as float32.</summary>
    public IReadOnlyDictionary<string, float[]> Weights { get; }

    public TinyQwen2Checkpoint(string directory)
    {
        Directory = directory;
        var tokenizer = TinyFixtures.Tokenizer;
        // Qwen2 pads the embedding past the tokenizer (151936 rows for 151665 tokens); so does this one.
        Config = TinyFixtures.Config("qwen2", tied: true, vocab: (tokenizer.VocabSize + 63) / 64 * 64) with { RopeTheta = 1_000_000, RmsNormEps = 1e-6 };
        WriteConfig();
        WriteTokenizer(tokenizer);
        Weights = WriteWeights();
    }

    private void WriteConfig()
    {
        var tokenizer = TinyFixtures.Tokenizer;
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray("Qwen2ForCausalLM"), ["attention_dropout"] = 0.0,
            ["bos_token_id"] = tokenizer.SpecialTokenId(ChatFormat.EndOfText), ["eos_token_id"] = tokenizer.SpecialTokenId(ChatFormat.ImEnd),
            ["hidden_act"] = "silu", ["hidden_size"] = Config.HiddenSize, ["initializer_range"] = 0.02, ["intermediate_size"] = Config.IntermediateSize,
            ["max_position_embeddings"] = Config.MaxPositionEmbeddings, ["max_window_layers"] = Config.NumHiddenLayers, ["model_type"] = "qwen2",
            ["num_attention_heads"] = Config.NumAttentionHeads, ["num_hidden_layers"] = Config.NumHiddenLayers,
            ["num_key_value_heads"] = Config.NumKeyValueHeads, ["rms_norm_eps"] = Config.RmsNormEps, ["rope_theta"] = Config.RopeTheta,
            ["sliding_window"] = Config.MaxPositionEmbeddings, ["tie_word_embeddings"] = true, ["torch_dtype"] = "bfloat16",
            ["transformers_version"] = "4.43.1", ["use_cache"] = true, ["use_sliding_window"] = false, ["vocab_size"] = Config.VocabSize,
        };
        File.WriteAllText(Path.Combine(Directory, "config.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private void WriteTokenizer(ByteLevelBpeTokenizer tokenizer)
    {
        var path = Path.Combine(Directory, TokenizerLoader.FileName);
        tokenizer.Save(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["normalizer"] = new JsonObject { ["type"] = "NFC" };
        root["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = HfPreTokenizer.Qwen2Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
        };
        root["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        File.WriteAllText(path, root.ToJsonString());
        var config = new JsonObject
        {
            ["add_prefix_space"] = false, ["bos_token"] = null, ["chat_template"] = ChatTemplate, ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = ChatFormat.ImEnd, ["errors"] = "replace", ["model_max_length"] = Config.MaxPositionEmbeddings,
            ["pad_token"] = ChatFormat.EndOfText, ["split_special_tokens"] = false, ["tokenizer_class"] = "Qwen2Tokenizer", ["unk_token"] = null,
        };
        File.WriteAllText(Path.Combine(Directory, ChatTemplateFile.TokenizerConfig), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private Dictionary<string, float[]> WriteWeights()
    {
        using var scope = NewDisposeScope();
        using var model = new LlamaForCausalLM(Config, seed: 17);
        var tensors = new Dictionary<string, TensorData>();
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                // Biases and a wider embedding so q/k/v biases and the logits carry weight in the comparisons.
                if (name.EndsWith(".bias"))
                    p.normal_(0, 0.5);
                else if (name == "model.embed_tokens.weight")
                    p.mul_(10);
                var rounded = p.detach().to_type(ScalarType.BFloat16).to_type(ScalarType.Float32).contiguous();
                tensors[name] = new TensorData(rounded.data<float>().ToArray(), rounded.shape);
            }
        }
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var first = names.Take(names.Count / 2).ToHashSet();
        string Shard(string name) => first.Contains(name) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        foreach (var group in names.GroupBy(Shard))
            PeftAdapterFiles.WriteSafetensors(Path.Combine(Directory, group.Key), group.ToDictionary(n => n, n => tensors[n]), SafetensorsType.BF16);
        var map = new JsonObject();
        foreach (var name in names)
            map[name] = Shard(name);
        File.WriteAllText(Path.Combine(Directory, "model.safetensors.index.json"),
            new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = tensors.Values.Sum(t => t.Values.Length * 2L) }, ["weight_map"] = map }.ToJsonString());
        return tensors.ToDictionary(p => p.Key, p => p.Value.Values);
    }
}
