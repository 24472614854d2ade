namespace AgentKit.Core.Running;

/// <summary>Per-run choices that are not part of the agent definition.</summary>
public sealed record AgentRunSettings
{
    /// <summary>
    /// First-thought prefix (agent-distillation paper): text forced as the start of the first action's
    /// thought; the model continues from it. With the grammar on, the prefix is a literal of the action
    /// grammar (exact with any grammar-capable backend). With it off, the request ends with an assistant
    /// message <c>Thought: &lt;prefix&gt;</c>, which only backends that continue a final assistant message honour
    /// (others start a fresh thought, which is then kept as is). Newlines become spaces, backticks quotes.
    /// </summary>
    public string? FirstThoughtPrefix { get; init; }
}
