using System.Text.Json.Nodes;

namespace AgentKit.Training.Tokenization;

/// <summary>Opens the tokenizer stored next to a checkpoint.</summary>
public static class TokenizerLoader
{
    /// <summary>File name of the tokenizer inside a checkpoint directory.</summary>
    public const string FileName = "tokenizer.json";

    /// <summary>
    /// Loads <paramref name="path"/> (a <c>tokenizer.json</c> or a directory holding one): with the exact
    /// llama.cpp-compatible <see cref="ByteLevelBpeTokenizer"/> when it is one of ours (GPT-2 pre-tokenizer,
    /// ByteLevel), else with <see cref="HfTokenizer"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no tokenizer at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable tokenizer.json (the message names the field).</exception>
    public static ITextTokenizer Load(string path)
    {
        if (Directory.Exists(path))
            path = Path.Combine(path, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No tokenizer at '{path}'.", path);
        JsonObject root;
        try
        {
            root = TokenizerJson.ReadRoot(path);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Tokenizer '{path}' is not a tokenizer.json: {ex.Message}", ex);
        }
        var preType = root["pre_tokenizer"] is JsonObject pre && pre["type"] is JsonValue value
                      && value.TryGetValue<string>(out var name) ? name : null;
        return preType == "ByteLevel" ? ByteLevelBpeTokenizer.Load(path) : HfTokenizer.Load(path);
    }
}
