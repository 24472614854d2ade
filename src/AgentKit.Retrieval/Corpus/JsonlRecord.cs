using System.Text.Json;

namespace AgentKit.Retrieval.Corpus;

/// <summary>Parses one JSONL corpus line <c>{"id","title","text"}</c>; problems come back through the error factory.</summary>
internal static class JsonlRecord
{
    public static CorpusDocument Parse(string line, Func<string, Exception?, Exception> error)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw error($"not valid JSON ({ex.Message})", ex);
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw error($"expected a JSON object with \"id\", \"title\" and \"text\", got {Describe(json.RootElement.ValueKind)}.", null);
            var id = RequiredString(json.RootElement, "id", error);
            if (id.Trim().Length == 0)
                throw error("field \"id\" must not be empty.", null);
            return new CorpusDocument(id, RequiredString(json.RootElement, "title", error), RequiredString(json.RootElement, "text", error));
        }
    }

    private static string RequiredString(JsonElement obj, string name, Func<string, Exception?, Exception> error)
    {
        if (!obj.TryGetProperty(name, out var value))
            throw error($"missing field \"{name}\".", null);
        // Numeric ids are common in public corpora; accept them as their literal text.
        if (name == "id" && value.ValueKind == JsonValueKind.Number)
            return value.GetRawText();
        if (value.ValueKind != JsonValueKind.String)
            throw error($"field \"{name}\" must be a string, got {Describe(value.ValueKind)}.", null);
        return value.GetString()!;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
