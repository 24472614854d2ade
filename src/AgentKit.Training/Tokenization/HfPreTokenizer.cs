using System.Text.Json.Nodes;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// The word-splitting rule of a Hugging Face <c>tokenizer.json</c> and its llama.cpp name (<c>tokenizer.ggml.pre</c>),
/// so an exported GGUF splits text exactly as the tokenizer the model was trained with. Only the splits llama.cpp
/// implements under a known name are mapped; anything else is refused rather than guessed.
/// </summary>
public static class HfPreTokenizer
{
    /// <summary>GPT-2's split (what a plain <c>ByteLevel</c> pre-tokenizer with <c>use_regex</c> applies).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2's split: case-insensitive contractions, one digit per word, newlines kept apart.</summary>
    public const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Llama 3's split: as Qwen2's but numbers in groups of up to three digits.</summary>
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The regex of the first <c>Split</c> pre-tokenizer in <paramref name="preTokenizer"/> (searching <c>Sequence</c>s), or null.</summary>
    public static string? FindSplitPattern(JsonNode? preTokenizer)
    {
        if (preTokenizer is not JsonObject node)
            return null;
        if ((string?)node["type"] == "Split" && node["pattern"]?["Regex"] is JsonValue regex)
            return (string?)regex;
        return (node["pretokenizers"] as JsonArray ?? []).Select(FindSplitPattern).FirstOrDefault(p => p is not null);
    }

    /// <summary>
    /// The llama.cpp pre-tokenizer for a <c>tokenizer.json</c>'s <c>pre_tokenizer</c> node: <c>gpt-2</c> for a plain
    /// byte-level split, <c>qwen2</c> and <c>llama-bpe</c> for those models' Split regexes.
    /// </summary>
    /// <exception cref="NotSupportedException">A split llama.cpp has no name for (the message shows the regex).</exception>
    public static string LlamaCppName(JsonNode? preTokenizer)
    {
        var pattern = FindSplitPattern(preTokenizer);
        return pattern switch
        {
            null when (string?)preTokenizer?["type"] == "ByteLevel" => "gpt-2",
            null => throw new NotSupportedException("The tokenizer has no ByteLevel or Split pre-tokenizer; llama.cpp would split its words differently."),
            Gpt2Pattern => "gpt-2",
            Qwen2Pattern => "qwen2",
            Llama3Pattern => "llama-bpe",
            _ => throw new NotSupportedException($"llama.cpp has no pre-tokenizer known to match the split regex '{pattern}'."),
        };
    }
}
