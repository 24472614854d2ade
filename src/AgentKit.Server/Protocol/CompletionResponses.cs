using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;

namespace AgentKit.Server.Protocol;

/// <summary>Builds OpenAI-shaped <c>text_completion</c> bodies (whole and streamed chunks have the same shape).</summary>
internal sealed class CompletionResponses(string model, long created)
{
    /// <summary>Response id, <c>cmpl-</c> and 24 random hex digits, shared by all chunks of one stream.</summary>
    public string Id { get; } = "cmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public JsonObject Completion(CandidateResult result, string echoed)
    {
        var choices = new JsonArray();
        for (var i = 0; i < result.Candidates.Count; i++)
        {
            var candidate = result.Candidates[i];
            choices.Add(Choice(i, echoed + candidate.Text, LogprobsJson.Completion(candidate.Logprobs, echoed.Length), candidate.FinishReason));
        }
        var body = Envelope();
        body["choices"] = choices;
        body["usage"] = Usage.Json(result.PromptTokens, result.Candidates.Sum(c => c.Tokens));
        return body;
    }

    /// <summary>A streamed chunk of one choice; <paramref name="offset"/> is the characters of this choice sent before it.</summary>
    public JsonObject Chunk(int index, string text, IReadOnlyList<TokenLogprob>? logprobs, int offset, string? finishReason)
    {
        var body = Envelope();
        body["choices"] = new JsonArray { Choice(index, text, LogprobsJson.Completion(logprobs, offset), finishReason) };
        return body;
    }

    /// <summary>The last chunk of a stream that asked for usage.</summary>
    public JsonObject UsageChunk(int? promptTokens, int? completionTokens)
    {
        var body = Envelope();
        body["choices"] = new JsonArray();
        body["usage"] = promptTokens is { } prompt && completionTokens is { } completion ? Usage.Json(prompt, completion) : null;
        return body;
    }

    private static JsonObject Choice(int index, string text, JsonObject? logprobs, string? finishReason) => new()
    {
        ["text"] = text,
        ["index"] = index,
        ["logprobs"] = logprobs,
        ["finish_reason"] = finishReason,
    };

    private JsonObject Envelope() => new()
    {
        ["id"] = Id,
        ["object"] = "text_completion",
        ["created"] = created,
        ["model"] = model,
        ["system_fingerprint"] = null,
    };
}
