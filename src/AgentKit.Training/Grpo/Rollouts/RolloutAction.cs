namespace AgentKit.Training.Grpo.Rollouts;

/// <summary>One action the policy wrote during an agent run, and what is known of its execution.</summary>
/// <param name="Text">The model's text for the step (thought + code block), as generated.</param>
/// <param name="Compiled">Whether the code compiled; null when not known (not executed, or not recorded).</param>
/// <param name="Ran">Whether the code ran without an error; null when not known.</param>
public sealed record RolloutAction(string Text, bool? Compiled = null, bool? Ran = null);
