using AgentKit.Models.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.Gguf;

public sealed class RandomLlamaModelTests
{
    [Fact]
    public void Written_model_has_the_llama_keys_and_tensors_llama_cpp_needs()
    {
        var options = new RandomLlamaOptions { Layers = 3, Embedding = 32, Heads = 4, KvHeads = 1, FeedForward = 48 };
        var path = TinyModels.TempPath("shape.gguf");
        RandomLlamaModel.Write(path, options);

        var file = GgufModelValidator.Validate(path);

        Assert.Equal("llama", file.Architecture);
        Assert.Equal(3, file.GetArchitectureInt("block_count"));
        Assert.Equal(32, file.GetArchitectureInt("embedding_length"));
        Assert.Equal(1, file.GetArchitectureInt("attention.head_count_kv"));
        Assert.Equal("gpt2", file["tokenizer.ggml.model"]!.AsString());
        Assert.Equal(ByteLevelVocabulary.Default.Count, file["tokenizer.ggml.tokens"]!.ArrayLength);
        Assert.Equal(3 + 9 * 3, file.Tensors.Count); // token_embd, output_norm, output + 9 per block
        Assert.Equal([32L, 8L], file.Tensors.Single(t => t.Name == "blk.2.attn_k.weight").Dimensions); // kv = 32/4*1
        Assert.Equal([48L, 32L], file.Tensors.Single(t => t.Name == "blk.0.ffn_down.weight").Dimensions);
        Assert.Equal(options.ParameterCount, file.ParameterCount);
    }

    [Fact]
    public void Same_seed_gives_identical_files_and_another_seed_does_not()
    {
        string Write(int seed)
        {
            var path = TinyModels.TempPath($"seed{seed}.gguf");
            RandomLlamaModel.Write(path, new RandomLlamaOptions { Seed = seed, Layers = 1 });
            return path;
        }
        var a = File.ReadAllBytes(Write(1));
        var b = File.ReadAllBytes(Write(1));
        var c = File.ReadAllBytes(Write(2));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a.Length, c.Length);
    }

    [Fact]
    public void F16_stores_matrices_in_half_the_space_and_keeps_norms_f32()
    {
        var f32 = TinyModels.TempPath("f32.gguf");
        var f16 = TinyModels.TempPath("f16.gguf");
        RandomLlamaModel.Write(f32, new RandomLlamaOptions());
        RandomLlamaModel.Write(f16, new RandomLlamaOptions { F16 = true });
        var file = GgufReader.Read(f16);
        Assert.Equal(GgmlType.F16, file.Tensors.Single(t => t.Name == "blk.0.attn_q.weight").Type);
        Assert.Equal(GgmlType.F32, file.Tensors.Single(t => t.Name == "blk.0.attn_norm.weight").Type);
        Assert.InRange(new FileInfo(f16).Length, new FileInfo(f32).Length * 0.45, new FileInfo(f32).Length * 0.6);
    }

    [Fact]
    public void Default_tiny_model_is_a_few_hundred_kilobytes()
    {
        var length = new FileInfo(TinyModels.RandomLlamaPath()).Length;
        Assert.InRange(length, 100_000, 1_000_000);
    }

    [Theory]
    [InlineData(0, 64, 4, 2, "Layers")]
    [InlineData(2, 66, 4, 2, "Embedding")]
    [InlineData(2, 64, 4, 3, "KvHeads")]
    [InlineData(2, 12, 4, 2, "even")]
    public void Invalid_options_are_explained(int layers, int embedding, int heads, int kvHeads, string mentioned)
    {
        var options = new RandomLlamaOptions { Layers = layers, Embedding = embedding, Heads = heads, KvHeads = kvHeads };
        var ex = Assert.Throws<ArgumentException>(() => RandomLlamaModel.Write(TinyModels.TempPath("bad.gguf"), options));
        Assert.Contains(mentioned, ex.Message);
    }
}
