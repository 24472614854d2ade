using AgentKit.Core.Actions;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Rewards;

/// <summary>
/// How well the rollout's actions follow the agent's action format: each action scores the share of its known checks it
/// passes — the text parses as <c>Thought: …</c> + a C# code block (<see cref="ActionParser"/>), and, where the rollout
/// records them, the code compiled and ran — and the reward is the mean over actions, in [0, 1]. A plain completion
/// (no recorded actions) is checked as one action. Keep its weight small next to the answer reward (SimpleRL-Zoo).
/// </summary>
public sealed class ActionFormatReward(string name = "format") : IRewardFunction
{
    /// <inheritdoc />
    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A reward function needs a name.", nameof(name)) : name;

    /// <inheritdoc />
    public RewardResult Score(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        IReadOnlyList<RolloutAction> actions = rollout.Actions.Count > 0 ? rollout.Actions : [new RolloutAction(rollout.CompletionText)];
        int parsed = 0, compiled = 0, compiledKnown = 0, ran = 0, ranKnown = 0;
        double total = 0;
        foreach (var action in actions)
        {
            var ok = ActionParser.Parse(action.Text).Succeeded;
            int passed = ok ? 1 : 0, checks = 1;
            parsed += passed;
            if (action.Compiled is { } c)
            {
                // Code that did not parse cannot have compiled, whatever was recorded.
                var pass = ok && c;
                passed += pass ? 1 : 0;
                checks++;
                compiledKnown++;
                compiled += pass ? 1 : 0;
            }
            if (action.Ran is { } r)
            {
                var pass = ok && r;
                passed += pass ? 1 : 0;
                checks++;
                ranKnown++;
                ran += pass ? 1 : 0;
            }
            total += (double)passed / checks;
        }
        var reason = $"{parsed}/{actions.Count} parsed" +
            (compiledKnown > 0 ? $", {compiled}/{compiledKnown} compiled" : "") +
            (ranKnown > 0 ? $", {ran}/{ranKnown} ran" : "");
        return new RewardResult(total / actions.Count, reason);
    }
}
