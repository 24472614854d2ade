using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Tools;

namespace AgentKit.Server.Protocol;

/// <summary>Builds OpenAI-shaped <c>chat.completion</c> and <c>chat.completion.chunk</c> bodies.</summary>
internal sealed class ChatCompletionResponses(string model, long created)
{
    /// <summary>Response id, <c>chatcmpl-</c> and 24 random hex digits, shared by all chunks of one stream.</summary>
    public string Id { get; } = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The whole answer; with active tools each choice's text is split into content and <c>tool_calls</c>.</summary>
    public JsonObject Completion(CandidateResult result, ToolSet tools)
    {
        var choices = new JsonArray();
        var names = tools.Tools.Select(t => t.Name).ToHashSet();
        for (var i = 0; i < result.Candidates.Count; i++)
        {
            var candidate = result.Candidates[i];
            var message = new JsonObject { ["role"] = "assistant", ["content"] = candidate.Text };
            var finishReason = candidate.FinishReason;
            if (tools.Active)
            {
                var (content, calls) = ToolCallSplitter.SplitAll(candidate.Text, names);
                message["content"] = content.Length == 0 && calls.Count > 0 ? null : content;
                if (calls.Count > 0)
                {
                    message["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)CallJson(c))]);
                    finishReason = ToolFinishReason(finishReason);
                }
            }

            choices.Add(new JsonObject
            {
                ["index"] = i,
                ["message"] = message,
                ["logprobs"] = LogprobsJson.Chat(candidate.Logprobs),
                ["finish_reason"] = finishReason,
            });
        }

        var body = Envelope("chat.completion");
        body["choices"] = choices;
        body["usage"] = Usage.Json(result.PromptTokens, result.Candidates.Sum(c => c.Tokens));
        return body;
    }

    /// <summary>A chunk of one choice: its <c>delta</c>, the log probabilities of the tokens it covers, and the finish reason on the last.</summary>
    public JsonObject Chunk(int index, JsonObject delta, IReadOnlyList<TokenLogprob>? logprobs, string? finishReason)
    {
        var body = Envelope("chat.completion.chunk");
        body["choices"] = new JsonArray
        {
            new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = LogprobsJson.Chat(logprobs), ["finish_reason"] = finishReason },
        };
        return body;
    }

    /// <summary>The last chunk of a stream that asked for usage: no choices, only the figures (null where the backend did not report them).</summary>
    public JsonObject UsageChunk(int? promptTokens, int? completionTokens)
    {
        var body = Envelope("chat.completion.chunk");
        body["choices"] = new JsonArray();
        body["usage"] = promptTokens is { } prompt && completionTokens is { } completion ? Usage.Json(prompt, completion) : null;
        return body;
    }

    /// <summary>A call as it appears in a message's <c>tool_calls</c>.</summary>
    public static JsonObject CallJson(ToolCall call) => new()
    {
        ["id"] = call.Id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
    };

    /// <summary>A choice that called tools and then stopped finished for "tool_calls"; one cut off keeps "length".</summary>
    public static string ToolFinishReason(string finishReason) =>
        finishReason == FinishReasons.Stop ? "tool_calls" : finishReason;

    private JsonObject Envelope(string kind) => new()
    {
        ["id"] = Id,
        ["object"] = kind,
        ["created"] = created,
        ["model"] = model,
        ["system_fingerprint"] = null,
    };
}
