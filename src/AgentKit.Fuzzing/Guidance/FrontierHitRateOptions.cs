namespace AgentKit.Fuzzing.Guidance;

/// <summary>Options of <see cref="FrontierHitRate"/>; validated at construction.</summary>
public sealed record FrontierHitRateOptions
{
    private readonly int _k = 4;
    private readonly float _temperature = 0.8f;
    private readonly int _maxTokens = 256;

    /// <summary>Completions asked per question (1-64). Default 4.</summary>
    public int K
    {
        get => _k;
        init => _k = value is >= 1 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(K), value, "must be between 1 and 64");
    }

    /// <summary>Sampling temperature (0 = greedy). Default 0.8.</summary>
    public float Temperature
    {
        get => _temperature;
        init => _temperature = value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "must be at least 0");
    }

    /// <summary>Most tokens a completion may generate. Default 256.</summary>
    public int MaxTokens
    {
        get => _maxTokens;
        init => _maxTokens = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTokens), value, "must be at least 1");
    }

    /// <summary>Sampling seed; question i is asked with seed + i. Null: the backend picks one.</summary>
    public int? Seed { get; init; }

    /// <summary>Clock of the model seconds.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
