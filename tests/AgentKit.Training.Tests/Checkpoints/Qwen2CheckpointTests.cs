using System.Text.Json.Nodes;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>A Qwen2 checkpoint in Hugging Face's layout loads as published: config, sharded bf16 weights, tokenizer, chat template.</summary>
public sealed class Qwen2CheckpointTests
{
    [Fact]
    public void Hf_qwen2_checkpoint_loads_its_config_weights_tokenizer_and_template()
    {
        var hf = TinyQwen2Checkpoint.Instance;
        using var model = CheckpointIO.Load(hf.Directory);
        var config = model.Config;
        Assert.Equal("qwen2", config.ModelType);
        Assert.True(config.HasQkvBias); // Qwen2's config.json has no attention_bias key: the architecture implies it
        Assert.Equal(1_000_000, config.RopeTheta);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal(hf.Config.VocabSize, config.VocabSize);
        var state = model.state_dict();
        Assert.DoesNotContain("lm_head.weight", state.Keys);
        Assert.Equal(hf.Weights.Keys.Order(), state.Keys.Order());
        foreach (var (name, values) in hf.Weights)
            Assert.True(values.SequenceEqual(state[name].data<float>().ToArray()), $"{name} differs from the stored bf16 values");

        var tokenizer = Assert.IsType<HfTokenizer>(TokenizerLoader.Load(hf.Directory));
        // NFC first (e + combining acute = é); the split itself is checked against llama.cpp's qwen2 pre-tokenizer in Qwen2StudentTests.
        Assert.Equal(tokenizer.Encode("caf\u00e9"), tokenizer.Encode("cafe\u0301"));
        Assert.Equal(TinyQwen2Checkpoint.ChatTemplate, ChatTemplateFile.Read(hf.Directory));
    }

    [Theory]
    [InlineData("rope_scaling", "{\"rope_type\":\"yarn\",\"factor\":4.0}", "rope_scaling")]
    [InlineData("use_sliding_window", "true", "use_sliding_window")]
    [InlineData("hidden_act", "\"gelu\"", "hidden_act")]
    public void Config_settings_the_model_does_not_implement_are_refused(string key, string value, string named)
    {
        var dir = TinyFixtures.TempDir();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyQwen2Checkpoint.Instance.Directory, "config.json")))!.AsObject();
        json[key] = JsonNode.Parse(value);
        File.WriteAllText(Path.Combine(dir, "config.json"), json.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => AgentKit.Training.Model.LlamaConfig.Load(Path.Combine(dir, "config.json")));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("[{\"name\":\"tool_use\",\"template\":\"t\"},{\"name\":\"default\",\"template\":\"d\"}]", "d")]
    public void Chat_template_is_read_from_tokenizer_config_or_the_jinja_file(string template, string expected)
    {
        var dir = TinyFixtures.TempDir();
        Assert.Null(ChatTemplateFile.Read(dir));
        File.WriteAllText(Path.Combine(dir, ChatTemplateFile.TokenizerConfig), $"{{\"chat_template\":{template}}}");
        Assert.Equal(expected, ChatTemplateFile.Read(dir));
        File.WriteAllText(Path.Combine(dir, ChatTemplateFile.Jinja), "from the jinja file");
        Assert.Equal("from the jinja file", ChatTemplateFile.Read(dir));
    }
}
