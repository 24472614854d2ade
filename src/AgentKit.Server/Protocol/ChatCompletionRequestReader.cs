using System.Text;
using System.Text.Json;
using AgentKit.Abstractions.Models;
using Microsoft.Extensions.AI;

namespace AgentKit.Server.Protocol;

/// <summary>A parsed <c>POST /v1/chat/completions</c> body.</summary>
/// <param name="Candidates">What to generate.</param>
/// <param name="Stream">True to answer with server-sent events.</param>
internal sealed record ChatCompletionCall(CandidateRequest Candidates, bool Stream);

/// <summary>The request limits of <see cref="ServerOptions"/> that the reader applies.</summary>
/// <param name="DefaultMaxTokens"><c>max_tokens</c> when the request sets none.</param>
/// <param name="MaxMessages">Most messages accepted.</param>
/// <param name="MaxStopSequences">Most stop sequences accepted.</param>
internal sealed record ChatCompletionLimits(int DefaultMaxTokens, int MaxMessages = 1024, int MaxStopSequences = 16)
{
    public static ChatCompletionLimits From(ServerOptions options) =>
        new(options.DefaultMaxTokens, options.MaxMessages, options.MaxStopSequences);
}

/// <summary>
/// Reads a chat completion request with OpenAI's parameter names and limits, raising <see cref="ApiError"/>
/// (400, naming the parameter) for anything unusable. Fields it does not know are ignored, as OpenAI
/// clients send many optional ones; <c>tools</c> is refused because silently dropping it would
/// mislead the client. <c>grammar</c> (GBNF, as in llama.cpp server) is an extension.
/// </summary>
internal static class ChatCompletionRequestReader
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    public static ChatCompletionCall Read(JsonElement root, ChatCompletionLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ApiError(400, "The request body must be a JSON object.", ApiError.InvalidRequestType);

        if (Optional(root, "model") is { } model && model.ValueKind != JsonValueKind.String)
            throw ApiError.InvalidType("model", "a string");
        if (Optional(root, "tools") is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0)
            throw ApiError.InvalidValue("tools", "Tool calling is not supported by this server; describe tools in the prompt instead.");

        var messages = ReadMessages(root, limits.MaxMessages);
        var n = Int(root, "n") ?? 1;
        if (n is < 1 or > 64)
            throw ApiError.InvalidValue("n", $"'n' must be between 1 and 64, got {n}.");
        var temperature = Number(root, "temperature") ?? 1.0;
        if (temperature is < 0 or > 2)
            throw ApiError.InvalidValue("temperature", $"'temperature' must be between 0 and 2, got {temperature}.");
        var topP = Number(root, "top_p") ?? 1.0;
        if (topP is <= 0 or > 1)
            throw ApiError.InvalidValue("top_p", $"'top_p' must be greater than 0 and at most 1, got {topP}.");
        var maxTokens = Int(root, "max_completion_tokens") ?? Int(root, "max_tokens") ?? limits.DefaultMaxTokens;
        if (maxTokens < 1)
        {
            var param = Optional(root, "max_completion_tokens") is not null ? "max_completion_tokens" : "max_tokens";
            throw ApiError.InvalidValue(param, $"'{param}' must be at least 1, got {maxTokens}.");
        }

        var request = new CandidateRequest
        {
            Messages = messages,
            N = n,
            Temperature = (float)temperature,
            TopP = (float)topP,
            Seed = Int(root, "seed"),
            MaxTokens = maxTokens,
            Stop = ReadStop(root, limits.MaxStopSequences),
            Grammar = String(root, "grammar") is { Length: > 0 } grammar ? grammar : null,
        };
        return new ChatCompletionCall(request, Bool(root, "stream") ?? false);
    }

    private static List<ChatMessage> ReadMessages(JsonElement root, int maxMessages)
    {
        var array = Optional(root, "messages") ?? throw ApiError.Missing("messages");
        if (array.ValueKind != JsonValueKind.Array)
            throw ApiError.InvalidType("messages", "an array of message objects");
        if (array.GetArrayLength() == 0)
            throw ApiError.InvalidValue("messages", "'messages' must contain at least one message.");
        if (array.GetArrayLength() > maxMessages)
            throw ApiError.InvalidValue("messages", $"'messages' has {array.GetArrayLength()} messages; this server accepts at most {maxMessages}.");

        var messages = new List<ChatMessage>();
        foreach (var item in array.EnumerateArray())
        {
            var param = $"messages[{messages.Count}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw ApiError.InvalidType(param, "a message object");
            var role = Optional(item, "role") ?? throw ApiError.Missing($"{param}.role");
            if (role.ValueKind != JsonValueKind.String)
                throw ApiError.InvalidType($"{param}.role", "a string");
            var roleName = Text(role, $"{param}.role");
            if (!Roles.Contains(roleName))
                throw ApiError.InvalidValue($"{param}.role", $"Unknown role '{roleName}'; expected one of {string.Join(", ", Roles)}.");
            messages.Add(new ChatMessage(new ChatRole(roleName), ReadContent(item, param)));
        }

        return messages;
    }

    /// <summary>Content is a string, null (an assistant turn that only called tools) or an array of text parts.</summary>
    private static string ReadContent(JsonElement message, string param)
    {
        var content = Optional(message, "content");
        if (content is null)
            return "";
        if (content.Value.ValueKind == JsonValueKind.String)
            return Text(content.Value, $"{param}.content");
        if (content.Value.ValueKind != JsonValueKind.Array)
            throw ApiError.InvalidType($"{param}.content", "a string or an array of content parts");

        var text = new StringBuilder();
        foreach (var part in content.Value.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || Optional(part, "type") is not { ValueKind: JsonValueKind.String } type
                || Text(type, $"{param}.content") != "text"
                || Optional(part, "text") is not { ValueKind: JsonValueKind.String } partText)
                throw ApiError.InvalidValue($"{param}.content", "Only text content parts ({\"type\":\"text\",\"text\":…}) are supported.");
            text.Append(Text(partText, $"{param}.content"));
        }

        return text.ToString();
    }

    private static List<string> ReadStop(JsonElement root, int maxStopSequences)
    {
        var stop = Optional(root, "stop");
        List<string> result = stop?.ValueKind switch
        {
            null => [],
            JsonValueKind.String => [Text(stop.Value, "stop")],
            JsonValueKind.Array => [.. stop.Value.EnumerateArray().Select(s =>
                s.ValueKind == JsonValueKind.String ? Text(s, "stop") : throw ApiError.InvalidType("stop", "a string or an array of strings"))],
            _ => throw ApiError.InvalidType("stop", "a string or an array of strings"),
        };
        if (result.Any(string.IsNullOrEmpty))
            throw ApiError.InvalidValue("stop", "Stop sequences must not be empty strings.");
        if (result.Count > maxStopSequences)
            throw ApiError.InvalidValue("stop", $"'stop' has {result.Count} sequences; this server accepts at most {maxStopSequences}.");
        return result;
    }

    /// <summary>The property, or null when it is absent or JSON null (OpenAI treats both as "not set").</summary>
    private static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static int? Int(JsonElement root, string name)
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

    private static double? Number(JsonElement root, string name)
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

    private static bool? Bool(JsonElement root, string name)
    {
        if (Optional(root, name) is not { } value)
            return null;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw ApiError.InvalidType(name, "a boolean");
    }

    private static string? String(JsonElement root, string name)
    {
        if (Optional(root, name) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.String ? Text(value, name) : throw ApiError.InvalidType(name, "a string");
    }

    /// <summary>
    /// A JSON string's text. An escaped unpaired surrogate (<c>"\ud800"</c>) is valid JSON but not text, and
    /// <see cref="JsonElement.GetString"/> throws on it: that is the client's mistake, so a 400 naming the parameter.
    /// </summary>
    private static string Text(JsonElement value, string param)
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
