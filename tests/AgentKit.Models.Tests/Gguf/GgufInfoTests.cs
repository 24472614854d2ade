using AgentKit.Models.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.Gguf;

public sealed class GgufInfoTests
{
    [Fact]
    public void The_information_matches_the_options_the_model_was_written_with()
    {
        var path = TinyModels.TempPath("info.gguf");
        var options = new RandomLlamaOptions { Layers = 2, Embedding = 48, Heads = 6, KvHeads = 2, FeedForward = 96, ContextLength = 512 };
        RandomLlamaModel.Write(path, options);

        var info = GgufInfo.Read(path);

        Assert.Equal(Path.GetFullPath(path), info.Path);
        Assert.Equal(("llama", true), (info.Architecture, info.ArchitectureSupported));
        Assert.Equal((2L, 48L, 96L, 6L, 2L, 512L), (info.BlockCount, info.EmbeddingLength, info.FeedForwardLength, info.HeadCount, info.HeadCountKv, info.ContextLength));
        Assert.Equal(options.ParameterCount, info.Parameters);
        Assert.Equal(new FileInfo(path).Length, info.FileBytes);
        Assert.True(info.HasChatTemplate);
        Assert.Equal(info.TensorCount, info.TensorTypes.Values.Sum());
        Assert.Equal("llama", info.Metadata["general.architecture"]);
    }

    [Fact]
    public void A_missing_file_is_a_model_load_error()
    {
        var error = Assert.Throws<ModelLoadException>(() => GgufInfo.Read(TinyModels.TempPath("missing.gguf")));

        Assert.Equal(ModelLoadFailure.FileNotFound, error.Failure);
    }
}
