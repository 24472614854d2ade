using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;

namespace AgentKit.Server.Protocol;

/// <summary>Log probabilities in the shapes of OpenAI's chat and legacy completions APIs.</summary>
internal static class LogprobsJson
{
    /// <summary>Chat: <c>{"content":[{"token","logprob","bytes","top_logprobs":[…]}],"refusal":null}</c>; null when none were asked for.</summary>
    public static JsonObject? Chat(IReadOnlyList<TokenLogprob>? logprobs) => logprobs is null ? null : new JsonObject
    {
        ["content"] = new JsonArray([.. logprobs.Select(t =>
        {
            var entry = Token(t);
            entry["top_logprobs"] = new JsonArray([.. t.TopLogprobs.Select(a => (JsonNode)Token(a))]);
            return (JsonNode)entry;
        })]),
        ["refusal"] = null,
    };

    /// <summary>
    /// Legacy completions: parallel arrays <c>tokens</c>, <c>token_logprobs</c>, <c>top_logprobs</c> (token → logprob
    /// maps) and <c>text_offset</c> (each token's character offset, counted from <paramref name="offset"/>).
    /// </summary>
    public static JsonObject? Completion(IReadOnlyList<TokenLogprob>? logprobs, int offset = 0)
    {
        if (logprobs is null)
            return null;
        var offsets = new JsonArray();
        foreach (var token in logprobs)
        {
            offsets.Add(offset);
            offset += token.Token.Length;
        }
        return new JsonObject
        {
            ["tokens"] = new JsonArray([.. logprobs.Select(t => (JsonNode)t.Token)]),
            ["token_logprobs"] = new JsonArray([.. logprobs.Select(t => (JsonNode)t.Logprob)]),
            ["top_logprobs"] = new JsonArray([.. logprobs.Select(t =>
            {
                var top = new JsonObject();
                foreach (var alternative in t.TopLogprobs)
                    top[alternative.Token] ??= alternative.Logprob; // two tokens may decode to the same text; keep the likelier
                return (JsonNode)top;
            })]),
            ["text_offset"] = offsets,
        };
    }

    private static JsonObject Token(TokenLogprob token) => new()
    {
        ["token"] = token.Token,
        ["logprob"] = token.Logprob,
        ["bytes"] = new JsonArray([.. token.Bytes.Select(b => (JsonNode)(int)b)]),
    };
}
