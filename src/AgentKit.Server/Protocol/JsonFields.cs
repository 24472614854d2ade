using System.Text.Json;

namespace AgentKit.Server.Protocol;

/// <summary>
/// Typed reads of request fields that raise <see cref="ApiError"/> (400, naming the parameter) for a value of
/// the wrong type or range. Absent and JSON null are both "not set", as in OpenAI's API.
/// </summary>
internal static class JsonFields
{
    /// <summary>The property, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static int? Int(JsonElement root, string name)
    {
        if (Optional(root, name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw ApiError.InvalidType(name, "an integer");
        if (!value.TryGetDouble(out var number) || number is < int.MinValue or > int.MaxValue)
            throw ApiError.InvalidValue(name, $"'{name}' is out of range: {value.GetRawText()} (expected a 32-bit integer).");
        if (number != Math.Floor(number))
            throw ApiError.InvalidType(name, "an integer");
        return (int)number;
    }

    public static double? Number(JsonElement root, string name)
    {
        if (Optional(root, name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw ApiError.InvalidType(name, "a number");
        // GetDouble would throw for a literal beyond double's range, such as 1e400.
        return value.TryGetDouble(out var number)
            ? number
            : throw ApiError.InvalidValue(name, $"'{name}' is out of range: {value.GetRawText()}.");
    }

    public static bool? Bool(JsonElement root, string name, string? param = null)
    {
        if (Optional(root, name) is not { } value)
            return null;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw ApiError.InvalidType(param ?? name, "a boolean");
    }

    public static string? String(JsonElement root, string name, string? param = null)
    {
        if (Optional(root, name) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.String ? Text(value, param ?? name) : throw ApiError.InvalidType(param ?? name, "a string");
    }

    /// <summary>
    /// A JSON string's text. An escaped unpaired surrogate (<c>"\ud800"</c>) is valid JSON but not text, and
    /// <see cref="JsonElement.GetString"/> throws on it: that is the client's mistake, so a 400 naming the parameter.
    /// </summary>
    public static string Text(JsonElement value, string param)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiError.InvalidValue(param, $"'{param}' is not valid text: it contains an unpaired UTF-16 surrogate escape.");
        }
    }
}
