using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;
using Microsoft.Extensions.AI;

namespace AgentKit.Models.OpenAICompatible;

/// <summary>Builds the JSON body of <c>POST /chat/completions</c> from a <see cref="CandidateRequest"/>.</summary>
internal static class ChatCompletionPayload
{
    /// <summary>
    /// The request body. A raw <see cref="CandidateRequest.Prompt"/> becomes one user message: the chat API
    /// has no raw-text mode, so the server's chat template is applied to it.
    /// The grammar goes in llama.cpp server's <c>grammar</c> field; vLLM ignores it (it takes
    /// <c>guided_grammar</c> or <c>structured_outputs</c> instead), OpenAI rejects or ignores it.
    /// </summary>
    public static JsonObject Build(string model, CandidateRequest request, int n, int? seed, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = Messages(request),
            ["n"] = n,
            ["temperature"] = request.Temperature,
            ["top_p"] = request.TopP,
            // max_tokens rather than max_completion_tokens: every OpenAI-compatible server reads it.
            ["max_tokens"] = request.MaxTokens,
            ["stream"] = stream,
        };
        if (seed is { } s)
            body["seed"] = s;
        if (request.Stop.Count > 0)
            body["stop"] = new JsonArray([.. request.Stop.Select(x => (JsonNode?)JsonValue.Create(x))]);
        if (request.Grammar is { } grammar)
            body["grammar"] = grammar;
        return body;
    }

    private static JsonArray Messages(CandidateRequest request)
    {
        if (request.Prompt is { } prompt)
            return [new JsonObject { ["role"] = "user", ["content"] = prompt }];
        var messages = new JsonArray();
        foreach (ChatMessage message in request.Messages!)
            messages.Add(new JsonObject { ["role"] = message.Role.Value, ["content"] = message.Text });
        return messages;
    }
}
