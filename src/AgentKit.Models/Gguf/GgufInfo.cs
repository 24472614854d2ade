namespace AgentKit.Models.Gguf;

/// <summary>What a GGUF file holds, as <c>agentkit model info</c> shows it: header, architecture, shape, tokenizer, tensors and metadata.</summary>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="Version">GGUF version.</param>
/// <param name="Architecture"><c>general.architecture</c>.</param>
/// <param name="ArchitectureSupported">Whether the bundled llama.cpp runs it.</param>
/// <param name="Name"><c>general.name</c>.</param>
/// <param name="ContextLength">Training context length.</param>
/// <param name="EmbeddingLength">Hidden size.</param>
/// <param name="BlockCount">Transformer blocks.</param>
/// <param name="FeedForwardLength">Feed-forward size.</param>
/// <param name="HeadCount">Attention heads.</param>
/// <param name="HeadCountKv">Key/value heads.</param>
/// <param name="VocabSize">Tokens in the vocabulary.</param>
/// <param name="Tokenizer"><c>tokenizer.ggml.model</c>.</param>
/// <param name="HasChatTemplate">Whether a chat template is stored.</param>
/// <param name="TensorCount">Tensors.</param>
/// <param name="Parameters">Parameters.</param>
/// <param name="FileBytes">File size.</param>
/// <param name="Alignment">Tensor data alignment.</param>
/// <param name="TensorTypes">Tensors per type, most frequent first.</param>
/// <param name="Metadata">Every metadata value as text.</param>
public sealed record GgufInfo(
    string Path, uint Version, string? Architecture, bool ArchitectureSupported, string? Name,
    long? ContextLength, long? EmbeddingLength, long? BlockCount, long? FeedForwardLength, long? HeadCount, long? HeadCountKv,
    int? VocabSize, string? Tokenizer, bool HasChatTemplate, int TensorCount, long Parameters, long FileBytes, int Alignment,
    IReadOnlyDictionary<string, int> TensorTypes, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Reads the header of <paramref name="path"/> (tensor data is not loaded).</summary>
    /// <exception cref="ModelLoadException">The file is missing or not a readable GGUF.</exception>
    public static GgufInfo Read(string path) => From(path, GgufReader.Read(path));

    /// <summary>The information of an already read <paramref name="gguf"/> found at <paramref name="path"/>.</summary>
    public static GgufInfo From(string path, GgufFile gguf)
    {
        var architecture = gguf.Architecture;
        return new GgufInfo(
            System.IO.Path.GetFullPath(path), gguf.Version, architecture,
            architecture is not null && GgufModelValidator.SupportedArchitectures.Contains(architecture),
            gguf["general.name"]?.ToString(),
            gguf.GetArchitectureInt("context_length"), gguf.GetArchitectureInt("embedding_length"), gguf.GetArchitectureInt("block_count"),
            gguf.GetArchitectureInt("feed_forward_length"), gguf.GetArchitectureInt("attention.head_count"), gguf.GetArchitectureInt("attention.head_count_kv"),
            gguf["tokenizer.ggml.tokens"]?.ArrayLength, gguf["tokenizer.ggml.model"]?.ToString(), gguf["tokenizer.chat_template"] is not null,
            gguf.Tensors.Count, gguf.ParameterCount, gguf.FileLength, gguf.Alignment,
            gguf.Tensors.GroupBy(t => t.Type.ToString()).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            gguf.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
    }
}
