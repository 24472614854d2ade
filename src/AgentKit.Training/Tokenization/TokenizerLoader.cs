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
    public static ITextTokenizer Load(string path)
    {
        if (Directory.Exists(path))
            path = Path.Combine(path, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No tokenizer at '{path}'.", path);
        System.Text.Json.Nodes.JsonNode? node;
        try
        {
            node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException($"Tokenizer '{path}' is not valid JSON: {ex.Message}", ex);
        }
        var preType = (string?)node?["pre_tokenizer"]?["type"];
        return preType == "ByteLevel" ? ByteLevelBpeTokenizer.Load(path) : HfTokenizer.Load(path);
    }
}
