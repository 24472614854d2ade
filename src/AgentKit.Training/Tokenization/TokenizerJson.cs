using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// Strict reading of <c>tokenizer.json</c> fields for the loaders: every field of the wrong kind, missing where it is
/// required, or out of range becomes an <see cref="InvalidDataException"/> naming it, so a hand-edited or corrupt file
/// never surfaces as a NullReferenceException or an IndexOutOfRangeException deep in a loader.
/// </summary>
internal static class TokenizerJson
{
    // Duplicate keys are refused while parsing; otherwise JsonObject throws ArgumentException on first access.
    private static readonly JsonDocumentOptions s_document = new() { AllowDuplicateProperties = false };

    /// <summary>The root object of the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not JSON, duplicate keys, or the root is not an object.</exception>
    public static JsonObject ReadRoot(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: s_document);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not valid JSON: {ex.Message}", ex);
        }
        return root as JsonObject ?? throw new InvalidDataException("the root is not a JSON object");
    }

    /// <summary><paramref name="node"/> as an object, or null when it is absent or JSON null.</summary>
    public static JsonObject? OptionalObject(JsonNode? node, string what) =>
        node switch { null => null, JsonObject o => o, _ => throw new InvalidDataException($"'{what}' must be an object") };

    /// <summary><paramref name="node"/> as an array, empty when it is absent or JSON null.</summary>
    public static JsonArray Array(JsonNode? node, string what) =>
        node switch { null => [], JsonArray a => a, _ => throw new InvalidDataException($"'{what}' must be an array") };

    /// <summary><paramref name="node"/> as a string, or null when it is absent or JSON null.</summary>
    public static string? OptionalString(JsonNode? node, string what) =>
        node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw new InvalidDataException($"'{what}' must be a string"),
        };

    /// <summary><paramref name="node"/> as a string.</summary>
    public static string String(JsonNode? node, string what) =>
        OptionalString(node, what) ?? throw new InvalidDataException($"'{what}' is missing");

    /// <summary><paramref name="node"/> as a token id: an integer from 0 to <see cref="int.MaxValue"/>.</summary>
    public static int Id(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<int>(out var id)
            ? id >= 0 ? id : throw new InvalidDataException($"'{what}' is a negative id ({id})")
            : throw new InvalidDataException($"'{what}' must be an integer id");
}
