namespace AgentKit.Abstractions.Trajectories;

/// <summary>One chat message exactly as it was sent to the model.</summary>
/// <param name="Role">One of <see cref="PromptRoles"/>.</param>
/// <param name="Content">The message text.</param>
public sealed record PromptMessage(string Role, string Content);

/// <summary>The chat roles used in prompts (the OpenAI names).</summary>
public static class PromptRoles
{
    /// <summary>Instructions, tool list and format.</summary>
    public const string System = "system";

    /// <summary>The task, observations and runtime requests.</summary>
    public const string User = "user";

    /// <summary>What the model wrote (plans, actions, final answers).</summary>
    public const string Assistant = "assistant";
}
