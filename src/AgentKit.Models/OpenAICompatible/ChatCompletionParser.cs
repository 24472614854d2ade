using System.Text.Json;
using AgentKit.Abstractions.Models;

namespace AgentKit.Models.OpenAICompatible;

/// <summary>One choice of a non-streamed response.</summary>
internal sealed record ParsedChoice(int Index, string Text, string FinishReason);

/// <summary>The parts of a non-streamed <c>chat.completion</c> response AgentKit uses.</summary>
internal sealed record ParsedCompletion(IReadOnlyList<ParsedChoice> Choices, int PromptTokens, int CompletionTokens);

/// <summary>
/// Reads OpenAI-shaped response bodies. Anything that does not have the documented shape raises
/// <see cref="InvalidDataException"/> naming what was missing, so a wrong URL (an HTML page, another API)
/// is reported as such rather than as a null reference.
/// </summary>
internal static class ChatCompletionParser
{
    public static ParsedCompletion ParseCompletion(string json, Uri source)
    {
        using var document = Parse(json, source);
        var root = document.RootElement;
        var choicesElement = RequireArray(root, "choices", source);
        var choices = new List<ParsedChoice>();
        foreach (var choice in choicesElement.EnumerateArray())
        {
            if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
                throw Malformed(source, "a choice has no 'message' object");
            choices.Add(new ParsedChoice(
                IndexOf(choice, choices.Count, source),
                StringOrEmpty(message, "content"),
                FinishReason(choice) ?? FinishReasons.Stop));
        }

        var (prompt, completion) = Usage(root);
        return new ParsedCompletion(choices, prompt, completion);
    }

    /// <summary>Deltas of one <c>chat.completion.chunk</c>; raises the server's message for an in-stream error object.</summary>
    public static IEnumerable<CandidateDelta> ParseChunk(string json, Uri source)
    {
        using var document = Parse(json, source);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
            throw new HttpRequestException($"{source} reported an error while streaming: {EndpointErrors.MessageOf(error)}");
        if (!root.TryGetProperty("choices", out var choices))
            return []; // e.g. a usage-only chunk.
        if (choices.ValueKind != JsonValueKind.Array)
            throw Malformed(source, "'choices' is not an array in a stream chunk");
        var deltas = new List<CandidateDelta>();
        foreach (var choice in choices.EnumerateArray())
        {
            var text = choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
                ? StringOrEmpty(delta, "content")
                : "";
            var finish = FinishReason(choice);
            if (text.Length > 0 || finish is not null)
                deltas.Add(new CandidateDelta(IndexOf(choice, 0, source), text, finish));
        }

        return deltas;
    }

    private static JsonDocument Parse(string json, Uri source)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} did not answer with JSON ({ex.Message}). Body starts with: {EndpointErrors.Excerpt(json)}", ex);
        }
    }

    private static JsonElement RequireArray(JsonElement root, string name, Uri source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            throw Malformed(source, $"the response has no '{name}' array");
        return value;
    }

    private static int IndexOf(JsonElement choice, int fallback, Uri source)
    {
        if (!choice.TryGetProperty("index", out var index) || index.ValueKind == JsonValueKind.Null)
            return fallback;
        if (index.ValueKind != JsonValueKind.Number || !index.TryGetInt32(out var value) || value < 0)
            throw Malformed(source, $"a choice has an invalid index {index.GetRawText()}");
        return value;
    }

    private static string? FinishReason(JsonElement choice) =>
        choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? reason.GetString()
            : null;

    private static string StringOrEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static (int Prompt, int Completion) Usage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            return (0, 0);
        return (IntOrZero(usage, "prompt_tokens"), IntOrZero(usage, "completion_tokens"));
    }

    private static int IntOrZero(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    private static InvalidDataException Malformed(Uri source, string what) =>
        new($"Malformed chat completion from {source}: {what}.");
}
