using System.Text.Json;
using AgentKit.Abstractions.Models;
using static AgentKit.Server.Protocol.JsonFields;

namespace AgentKit.Server.Protocol;

/// <summary>The request limits of <see cref="ServerOptions"/> that the readers apply.</summary>
/// <param name="DefaultMaxTokens"><c>max_tokens</c> when the request sets none.</param>
/// <param name="MaxMessages">Most messages accepted.</param>
/// <param name="MaxStopSequences">Most stop sequences accepted.</param>
internal sealed record ChatCompletionLimits(int DefaultMaxTokens, int MaxMessages = 1024, int MaxStopSequences = 16)
{
    public static ChatCompletionLimits From(ServerOptions options) =>
        new(options.DefaultMaxTokens, options.MaxMessages, options.MaxStopSequences);
}

/// <summary>
/// The sampling parameters both <c>/v1/chat/completions</c> and <c>/v1/completions</c> take (<c>n</c>,
/// <c>temperature</c>, <c>top_p</c>, <c>max_tokens</c>, <c>seed</c>, <c>stop</c>, and the <c>grammar</c> extension),
/// as a <see cref="CandidateRequest"/> without its prompt.
/// </summary>
internal static class SamplingReader
{
    public static CandidateRequest Read(JsonElement root, ChatCompletionLimits limits)
    {
        if (Optional(root, "model") is { } model && model.ValueKind != JsonValueKind.String)
            throw ApiError.InvalidType("model", "a string");
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

        return new CandidateRequest
        {
            Prompt = "",
            N = n,
            Temperature = (float)temperature,
            TopP = (float)topP,
            Seed = Int(root, "seed"),
            MaxTokens = maxTokens,
            Stop = ReadStop(root, limits.MaxStopSequences),
            Grammar = String(root, "grammar") is { Length: > 0 } grammar ? grammar : null,
        };
    }

    /// <summary><c>stream</c>, and <c>stream_options.include_usage</c> (a final chunk with the usage figures).</summary>
    public static (bool Stream, bool IncludeUsage) ReadStreaming(JsonElement root)
    {
        var stream = Bool(root, "stream") ?? false;
        if (Optional(root, "stream_options") is not { } options)
            return (stream, false);
        if (options.ValueKind != JsonValueKind.Object)
            throw ApiError.InvalidType("stream_options", "an object");
        if (!stream)
            throw ApiError.InvalidValue("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        return (stream, Bool(options, "include_usage", "stream_options.include_usage") ?? false);
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
}
