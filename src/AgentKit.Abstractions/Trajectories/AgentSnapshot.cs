namespace AgentKit.Abstractions.Trajectories;

/// <summary>The resolved agent configuration a run used, saved with its trajectory so later stages can read it back.</summary>
/// <param name="Name">Agent name.</param>
/// <param name="Instructions">The agent's instructions (the head of its system prompt).</param>
/// <param name="Tools">Names of the tools the agent could call.</param>
/// <param name="MaxSteps">Action step limit.</param>
/// <param name="PlanningInterval">A planning step runs before action steps 1, 1+k, 1+2k…; 0 = no planning.</param>
/// <param name="ObservationMaxChars">Observations longer than this were cut.</param>
public sealed record AgentSnapshot(
    string Name,
    string Instructions,
    IReadOnlyList<string> Tools,
    int MaxSteps,
    int PlanningInterval,
    int ObservationMaxChars);
