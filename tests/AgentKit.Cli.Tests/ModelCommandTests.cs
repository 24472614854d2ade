using System.Text.Json;
using AgentKit.Models.Gguf;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

public sealed class ModelCommandTests
{

    [Fact]
    public async Task Create_random_writes_a_model_that_info_describes()
    {
        var path = TinyModels.TempPath("cli-random.gguf");
        var created = await RunAsync("model", "create-random", "--out", path, "--layers", "3", "--embedding", "32", "--heads", "4", "--kv-heads", "2", "--ffn", "64", "--f16", "--seed", "9", "--json");
        Assert.True(created.Exit == 0, created.Err);
        using (var json = JsonDocument.Parse(created.Out))
            Assert.Equal(new RandomLlamaOptions { Layers = 3, Embedding = 32, Heads = 4, KvHeads = 2, FeedForward = 64 }.ParameterCount, json.RootElement.GetProperty("parameters").GetInt64());

        var (exit, stdout, stderr) = await RunAsync("model", "info", path, "--json");
        Assert.True(exit == 0, stderr);
        using var info = JsonDocument.Parse(stdout);
        var root = info.RootElement;
        Assert.Equal("llama", root.GetProperty("architecture").GetString());
        Assert.True(root.GetProperty("architecture_supported").GetBoolean());
        Assert.Equal(3, root.GetProperty("block_count").GetInt64());
        Assert.Equal(32, root.GetProperty("embedding_length").GetInt64());
        Assert.Equal(3 + 9 * 3, root.GetProperty("tensor_count").GetInt32());
        Assert.Equal(ByteLevelVocabulary.Default.Count, root.GetProperty("vocab_size").GetInt32());
        Assert.True(root.GetProperty("tensor_types").GetProperty("F16").GetInt32() > 0);
        Assert.Equal("gpt2", root.GetProperty("metadata").GetProperty("tokenizer.ggml.model").GetString());
    }

    [Fact]
    public async Task Info_prints_a_readable_summary()
    {
        var (exit, stdout, stderr) = await RunAsync("model", "info", TinyModels.RandomLlamaPath());
        Assert.True(exit == 0, stderr);
        Assert.Contains("architecture", stdout);
        Assert.Contains("llama", stdout);
        Assert.Contains("parameters", stdout);
        Assert.Contains("general.architecture", stdout);
    }

    [Fact]
    public async Task Info_on_a_file_that_is_not_gguf_exits_1()
    {
        var path = TinyModels.TempPath("not.gguf");
        File.WriteAllText(path, "hello");
        var (exit, stdout, stderr) = await RunAsync("model", "info", path, "--json");
        Assert.Equal(1, exit);
        Assert.Contains("not a GGUF file", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Info_on_a_missing_file_exits_2()
    {
        var (exit, _, stderr) = await RunAsync("model", "info", "/nonexistent/model.gguf");
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr);
    }

    [Theory]
    [InlineData("--kv-heads", "--kv-heads", "3")]
    [InlineData("--embedding", "--embedding", "66")]
    [InlineData("--layers", "--layers", "0")]
    public async Task Create_random_rejects_inconsistent_shapes_with_exit_2(string expected, params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(["model", "create-random", "--out", TinyModels.TempPath("x.gguf"), .. args]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }
}
