namespace AgentKit.Fuzzing.Guidance;

/// <summary>Constants of the distance reward (see the Fuzzing README for the formula). Validated at construction.</summary>
public sealed record DistanceRewardOptions
{
    /// <summary>Weight of proximity: a miss at distance d scores <c>ProximityWeight / (1 + d)</c> (d ≥ 1 for a miss). Default 0.8.</summary>
    public double ProximityWeight { get; init; } = 0.8;

    /// <summary>Cost of a call edge, in blocks (entering an instrumented callee). Default 2.</summary>
    public int CallWeight { get; init; } = 2;

    /// <summary>Added when the input executed a block the campaign had not covered. Default 0.1.</summary>
    public double NewCoverageBonus { get; init; } = 0.1;

    /// <summary>Upper bound of a miss's score, below the 1.0 of a hit. Default 0.95.</summary>
    public double MissCap { get; init; } = 0.95;

    /// <summary>Throws when a constant is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A constant is out of range.</exception>
    public DistanceRewardOptions Validate()
    {
        if (ProximityWeight is <= 0 or > 1 || double.IsNaN(ProximityWeight))
            throw new ArgumentOutOfRangeException(nameof(ProximityWeight), ProximityWeight, "must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(CallWeight, 1);
        if (NewCoverageBonus is < 0 or >= 1 || double.IsNaN(NewCoverageBonus))
            throw new ArgumentOutOfRangeException(nameof(NewCoverageBonus), NewCoverageBonus, "must be in [0, 1)");
        if (MissCap is <= 0 or >= 1 || double.IsNaN(MissCap))
            throw new ArgumentOutOfRangeException(nameof(MissCap), MissCap, "must be in (0, 1): a miss scores below a hit");
        return this;
    }
}
