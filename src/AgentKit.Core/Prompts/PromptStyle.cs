using System.Text.Json.Serialization;

namespace AgentKit.Core.Prompts;

/// <summary>How much the system prompt explains (<c>"prompt_style"</c> in <c>agent.json</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromptStyle>))]
public enum PromptStyle
{
    /// <summary>Instructions, each function with its description and types, the action format and a worked example.
    /// For general models that must learn the format from the prompt.</summary>
    Full,

    /// <summary>Instructions, the function signatures and types, and one line on the action format. For models
    /// distilled on this agent's trajectories: they already know the format, and every prompt token costs
    /// training and inference time on small machines.</summary>
    Compact,
}
