using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Training.Sft;

/// <summary>
/// Reads SFT data in the OpenAI/TRL <c>messages</c> JSONL format: one object per line with a
/// <c>messages</c> array of <c>{role, content, weight?}</c>. Without <c>weight</c>, assistant messages are
/// trained (1) and all others are context (0). Blank lines are skipped; a malformed line is reported with its number.
/// </summary>
public static class SftDataReader
{
    /// <summary>Reads every example of <paramref name="path"/>.</summary>
    public static IReadOnlyList<SftExample> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"SFT data file '{path}' does not exist.", path);
        var examples = new List<SftExample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            examples.Add(Parse(line, lineNumber, path));
        }
        if (examples.Count == 0)
            throw new InvalidDataException($"SFT data file '{path}' has no examples.");
        return examples;
    }

    /// <summary>Parses one JSONL line.</summary>
    public static SftExample Parse(string line, int lineNumber, string source = "input")
    {
        try
        {
            var root = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("the line is not a JSON object");
            var messages = root["messages"] as JsonArray ?? throw new InvalidDataException("it has no 'messages' array");
            var parsed = new List<SftMessage>();
            foreach (var node in messages)
            {
                var message = node as JsonObject ?? throw new InvalidDataException("a message is not an object");
                var role = (string?)message["role"] ?? throw new InvalidDataException("a message has no 'role'");
                var content = message["content"] switch
                {
                    null => "",
                    JsonValue value => (string?)value ?? "",
                    // OpenAI content parts: concatenate the text parts.
                    JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? "")),
                    _ => throw new InvalidDataException($"message content of role '{role}' is neither text nor parts"),
                };
                var weight = message["weight"] is { } w ? (double)w : role == "assistant" ? 1 : 0;
                if (weight is < 0 or > 1)
                    throw new InvalidDataException($"message weight must be 0 or 1, got {weight}");
                parsed.Add(new SftMessage(role, content, weight));
            }
            if (parsed.Count == 0)
                throw new InvalidDataException("'messages' is empty");
            if (parsed.All(m => m.Weight == 0))
                throw new InvalidDataException("no message has a non-zero weight (nothing to train on)");
            return new SftExample(parsed, lineNumber);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{source} line {lineNumber}: {ex.Message}", ex);
        }
    }
}
