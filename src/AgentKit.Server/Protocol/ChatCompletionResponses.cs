using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;

namespace AgentKit.Server.Protocol;

/// <summary>Builds OpenAI-shaped <c>chat.completion</c> and <c>chat.completion.chunk</c> bodies.</summary>
internal sealed class ChatCompletionResponses(string model, long created)
{
    /// <summary>Response id, <c>chatcmpl-</c> and 24 random hex digits, shared by all chunks of one stream.</summary>
    public string Id { get; } = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public JsonObject Completion(CandidateResult result)
    {
        var choices = new JsonArray();
        for (var i = 0; i < result.Candidates.Count; i++)
        {
            var candidate = result.Candidates[i];
            choices.Add(new JsonObject
            {
                ["index"] = i,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = candidate.Text },
                ["logprobs"] = null,
                ["finish_reason"] = candidate.FinishReason,
            });
        }

        var completionTokens = result.Candidates.Sum(c => c.Tokens);
        var body = Envelope("chat.completion");
        body["choices"] = choices;
        body["usage"] = new JsonObject
        {
            ["prompt_tokens"] = result.PromptTokens,
            ["completion_tokens"] = completionTokens,
            ["total_tokens"] = result.PromptTokens + completionTokens,
        };
        return body;
    }

    /// <summary>A chunk with new text of one choice; the first chunk of a choice also carries the role.</summary>
    public JsonObject Chunk(int index, string text, bool first, string? finishReason)
    {
        var delta = new JsonObject();
        if (first)
            delta["role"] = "assistant";
        if (text.Length > 0 || first)
            delta["content"] = text;
        var body = Envelope("chat.completion.chunk");
        body["choices"] = new JsonArray
        {
            new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason },
        };
        return body;
    }

    private JsonObject Envelope(string kind) => new()
    {
        ["id"] = Id,
        ["object"] = kind,
        ["created"] = created,
        ["model"] = model,
        ["system_fingerprint"] = null,
    };
}
