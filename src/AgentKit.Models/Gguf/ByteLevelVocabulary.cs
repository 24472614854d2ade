namespace AgentKit.Models.Gguf;

/// <summary>
/// A GPT-2 style byte-level BPE vocabulary small enough for test models: one token per byte (in GPT-2's
/// byte-to-unicode spelling, so llama.cpp's <c>gpt2</c> tokenizer can encode any text), a handful of merges,
/// and the ChatML special tokens. Token id <c>b</c> is byte <c>b</c> for the first 256 ids.
/// </summary>
public sealed class ByteLevelVocabulary
{
    /// <summary>End of text; used as BOS and padding.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>ChatML turn start.</summary>
    public const string ImStart = "<|im_start|>";

    /// <summary>ChatML turn end; used as EOS so a chat answer ends the generation.</summary>
    public const string ImEnd = "<|im_end|>";

    // A few common English merges so the vocabulary exercises llama.cpp's BPE path, not only byte fallback.
    private static readonly (string Left, string Right)[] DefaultMerges =
    [
        ("Ġ", "t"), ("h", "e"), ("i", "n"), ("e", "r"), ("a", "n"), ("o", "n"), ("r", "e"), ("Ġ", "a"), ("Ġ", "s"), ("Ġt", "he"),
    ];

    private ByteLevelVocabulary(IReadOnlyList<string> tokens, IReadOnlyList<int> tokenTypes, IReadOnlyList<string> merges)
    {
        Tokens = tokens;
        TokenTypes = tokenTypes;
        Merges = merges;
    }

    // Declared before Default: static initialisers run in textual order.
    /// <summary>GPT-2's reversible map from bytes to printable characters (spaces become 'Ġ', newlines 'Ċ', ...).</summary>
    public static IReadOnlyList<char> ByteToUnicode { get; } = BuildByteToUnicode();

    /// <summary>The default vocabulary: 256 byte tokens, 10 merges, 3 specials.</summary>
    public static ByteLevelVocabulary Default { get; } = Create();

    /// <summary>Token texts in id order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>llama.cpp token types in id order (1 normal, 3 control).</summary>
    public IReadOnlyList<int> TokenTypes { get; }

    /// <summary>Merges as <c>"left right"</c> in rank order.</summary>
    public IReadOnlyList<string> Merges { get; }

    /// <summary>Id of <see cref="EndOfText"/>.</summary>
    public int EndOfTextId => IdOf(EndOfText);

    /// <summary>Id of <see cref="ImStart"/>.</summary>
    public int ImStartId => IdOf(ImStart);

    /// <summary>Id of <see cref="ImEnd"/>.</summary>
    public int ImEndId => IdOf(ImEnd);

    /// <summary>Number of tokens.</summary>
    public int Count => Tokens.Count;

    private int IdOf(string token) => Tokens.Count - 3 + Array.IndexOf([EndOfText, ImStart, ImEnd], token);

    private static ByteLevelVocabulary Create()
    {
        var tokens = ByteToUnicode.Select(c => c.ToString()).ToList();
        var merges = new List<string>();
        foreach (var (left, right) in DefaultMerges)
        {
            if (!tokens.Contains(left) || !tokens.Contains(right))
                throw new InvalidOperationException($"Merge '{left} {right}' uses a token not in the vocabulary.");
            merges.Add($"{left} {right}");
            tokens.Add(left + right);
        }
        var types = Enumerable.Repeat(1, tokens.Count).ToList();
        foreach (var special in new[] { EndOfText, ImStart, ImEnd })
        {
            tokens.Add(special);
            types.Add(3);
        }
        return new ByteLevelVocabulary(tokens, types, merges);
    }

    private static char[] BuildByteToUnicode()
    {
        // Printable Latin-1 bytes map to themselves; the rest are shifted to 256+ so every byte is visible.
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
