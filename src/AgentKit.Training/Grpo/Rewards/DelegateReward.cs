using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Rewards;

/// <summary>A reward written as a C# function: the way to plug in any rule of one's own.</summary>
public sealed class DelegateReward : IRewardFunction
{
    private readonly Func<Rollout, RewardResult> _score;

    /// <summary>A reward from a function that gives a value and a reason.</summary>
    public DelegateReward(string name, Func<Rollout, RewardResult> score)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A reward function needs a name.", nameof(name));
        Name = name;
        _score = score ?? throw new ArgumentNullException(nameof(score));
    }

    /// <summary>A reward from a function that gives only a value (the reason records the value).</summary>
    public DelegateReward(string name, Func<Rollout, double> score)
        : this(name, ValueOnly(score ?? throw new ArgumentNullException(nameof(score))))
    {
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public RewardResult Score(Rollout rollout) => _score(rollout);

    private static Func<Rollout, RewardResult> ValueOnly(Func<Rollout, double> score) => rollout =>
    {
        var value = score(rollout);
        return new RewardResult(value, $"{value:G4}");
    };
}
