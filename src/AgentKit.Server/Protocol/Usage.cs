using System.Text.Json.Nodes;

namespace AgentKit.Server.Protocol;

/// <summary>The <c>usage</c> object: tokens in the prompt (once, however many choices) and generated over all choices.</summary>
internal static class Usage
{
    public static JsonObject Json(int promptTokens, int completionTokens) => new()
    {
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = completionTokens,
        ["total_tokens"] = promptTokens + completionTokens,
    };
}
