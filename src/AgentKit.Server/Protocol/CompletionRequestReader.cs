using System.Text.Json;
using AgentKit.Abstractions.Models;
using static AgentKit.Server.Protocol.JsonFields;

namespace AgentKit.Server.Protocol;

/// <summary>A parsed <c>POST /v1/completions</c> body.</summary>
/// <param name="Candidates">What to generate: the raw prompt, no chat template.</param>
/// <param name="Stream">True to answer with server-sent events.</param>
/// <param name="IncludeUsage">True to end a stream with a chunk carrying the usage figures.</param>
/// <param name="Echo">True to put the prompt before each choice's text.</param>
internal sealed record CompletionCall(CandidateRequest Candidates, bool Stream, bool IncludeUsage, bool Echo);

/// <summary>
/// Reads a legacy completion request: <c>prompt</c> (a string, or an array holding one string), the shared sampling
/// parameters, <c>logprobs</c> (0-5 alternatives, as OpenAI allows), <c>echo</c>. <c>suffix</c> (insertion) and a
/// <c>best_of</c> other than <c>n</c> are refused with a 400 rather than ignored.
/// </summary>
internal static class CompletionRequestReader
{
    public static CompletionCall Read(JsonElement root, ChatCompletionLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ApiError(400, "The request body must be a JSON object.", ApiError.InvalidRequestType);
        var sampling = SamplingReader.Read(root, limits);
        if (String(root, "suffix") is { Length: > 0 })
            throw ApiError.InvalidValue("suffix", "'suffix' (text insertion) is not supported by this server.");
        if (Int(root, "best_of") is { } bestOf && bestOf != sampling.N)
            throw ApiError.InvalidValue("best_of", $"'best_of' other than 'n' is not supported (got best_of={bestOf}, n={sampling.N}).");
        var logprobs = Int(root, "logprobs");
        if (logprobs is < 0 or > 5)
            throw ApiError.InvalidValue("logprobs", $"'logprobs' must be between 0 and 5, got {logprobs}.");
        var (stream, includeUsage) = SamplingReader.ReadStreaming(root);

        var request = sampling with { Prompt = ReadPrompt(root), TopLogprobs = logprobs };
        return new CompletionCall(request, stream, includeUsage, Bool(root, "echo") ?? false);
    }

    private static string ReadPrompt(JsonElement root)
    {
        var prompt = Optional(root, "prompt") ?? throw ApiError.Missing("prompt");
        if (prompt.ValueKind == JsonValueKind.String)
            return Text(prompt, "prompt");
        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
            return Text(prompt[0], "prompt");
        throw ApiError.InvalidValue("prompt", "'prompt' must be a string (or an array holding one string); token arrays and batches of prompts are not supported.");
    }
}
