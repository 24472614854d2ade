namespace AgentKit.Atlas.Data;

/// <summary>How big an invented-atlas training agent is (<see cref="SyntheticAgentWriter"/>). Validated by <see cref="Validate"/>.</summary>
public sealed record SyntheticAgentOptions
{
    /// <summary>Invented countries (default 400; 10 to 5,000).</summary>
    public int Countries { get; init; } = 400;

    /// <summary>Training questions per answerable family (default 600; 1 to 100,000).</summary>
    public int PerFamily { get; init; } = 600;

    /// <summary>Seed of the invented names, facts and questions (default 11).</summary>
    public int Seed { get; init; } = 11;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public SyntheticAgentOptions Validate()
    {
        if (Countries is < 10 or > 5_000)
            throw new ArgumentException($"Countries must be between 10 and 5000, got {Countries}.");
        if (PerFamily is < 1 or > 100_000)
            throw new ArgumentException($"PerFamily must be between 1 and 100000, got {PerFamily}.");
        return this;
    }
}
