using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Server.Tools;
using static AgentKit.Server.Protocol.JsonFields;

namespace AgentKit.Server.Protocol;

/// <summary>
/// Reads <c>response_format</c>: <c>text</c> (nothing to do), <c>json_object</c> (output constrained by a grammar to
/// one JSON object) or <c>json_schema</c> (constrained to the schema, within <see cref="JsonSchemaGrammar"/>'s subset).
/// Returns the grammar, or null for plain text.
/// </summary>
internal static class ResponseFormatReader
{
    public static string? Read(JsonElement root)
    {
        if (Optional(root, "response_format") is not { } format)
            return null;
        if (format.ValueKind != JsonValueKind.Object)
            throw ApiError.InvalidType("response_format", "an object such as {\"type\":\"json_object\"}");
        return String(format, "type", "response_format.type") switch
        {
            null => throw ApiError.Missing("response_format.type"),
            "text" => null,
            "json_object" => JsonSchemaGrammar.AnyObject(),
            "json_schema" => Optional(format, "json_schema") is { ValueKind: JsonValueKind.Object } spec
                             && Optional(spec, "schema") is { ValueKind: JsonValueKind.Object } schema
                ? JsonSchemaGrammar.ForSchema(JsonNode.Parse(schema.GetRawText()))
                : throw ApiError.InvalidValue("response_format.json_schema", "'json_schema' must be {\"name\":…,\"schema\":{…}}."),
            var other => throw ApiError.InvalidValue("response_format.type", $"Unknown response format '{other}'; expected text, json_object or json_schema."),
        };
    }
}
