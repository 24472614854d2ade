namespace AgentKit.Models.Gguf;

/// <summary>
/// Shape of a random-weight llama model written by <see cref="RandomLlamaModel"/>. The defaults give a
/// model of about 110k parameters (~450 KB in f32) that loads in milliseconds: good for tests, useless for text.
/// </summary>
public sealed record RandomLlamaOptions
{
    /// <summary>Transformer blocks (default 2).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Hidden size (default 64). Must be divisible by <see cref="Heads"/>.</summary>
    public int Embedding { get; init; } = 64;

    /// <summary>Attention heads (default 4). The head size must be even (RoPE rotates pairs).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads for grouped-query attention (default 2). Must divide <see cref="Heads"/>.</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Feed-forward hidden size (default 128).</summary>
    public int FeedForward { get; init; } = 128;

    /// <summary>Trained context length recorded in the file (default 2048).</summary>
    public int ContextLength { get; init; } = 2048;

    /// <summary>Seed of the weight generator (default 0): the same options give the same file.</summary>
    public int Seed { get; init; }

    /// <summary>Store matrices as f16 instead of f32 (norm weights stay f32, as llama.cpp's converter does).</summary>
    public bool F16 { get; init; }

    /// <summary>Share the token embedding with the output projection (no <c>output.weight</c> tensor).</summary>
    public bool TieEmbeddings { get; init; }

    /// <summary>Jinja chat template stored as <c>tokenizer.chat_template</c> (default ChatML); null stores none.</summary>
    public string? ChatTemplate { get; init; } = RandomLlamaModel.ChatMLTemplate;

    /// <summary>Value of <c>general.name</c>.</summary>
    public string Name { get; init; } = "agentkit-random-llama";

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first inconsistent setting.</summary>
    public RandomLlamaOptions Validate()
    {
        Require(Layers is >= 1 and <= 256, $"Layers must be between 1 and 256, got {Layers}.");
        Require(Heads >= 1, $"Heads must be >= 1, got {Heads}.");
        Require(KvHeads >= 1 && Heads % KvHeads == 0, $"KvHeads must be >= 1 and divide Heads ({Heads}), got {KvHeads}.");
        Require(Embedding >= 2 && Embedding % Heads == 0, $"Embedding must be a multiple of Heads ({Heads}), got {Embedding}.");
        Require(Embedding / Heads % 2 == 0, $"The head size Embedding/Heads must be even for RoPE, got {Embedding / Heads}.");
        Require(Embedding <= 16384, $"Embedding must be <= 16384, got {Embedding}.");
        Require(FeedForward is >= 1 and <= 65536, $"FeedForward must be between 1 and 65536, got {FeedForward}.");
        Require(ContextLength is >= 16 and <= 1 << 20, $"ContextLength must be between 16 and 1048576, got {ContextLength}.");
        Require(!string.IsNullOrWhiteSpace(Name), "Name must not be empty.");
        return this;
    }

    /// <summary>Parameter count of a model with these options and the default vocabulary.</summary>
    public long ParameterCount
    {
        get
        {
            long vocab = ByteLevelVocabulary.Default.Count;
            long kv = (long)Embedding / Heads * KvHeads;
            var perLayer = 2L * Embedding * Embedding + 2L * Embedding * kv + 3L * Embedding * FeedForward + 2L * Embedding;
            return vocab * Embedding * (TieEmbeddings ? 1 : 2) + Layers * perLayer + Embedding;
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }
}
