namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Campaign folders that were meant to be read together ran different instrumented targets: their probe ids, blocks and
/// branches would not agree, so their corpora cannot be replayed on one twin or mined into one set of questions.
/// </summary>
public sealed class CampaignTargetsDifferException : ArgumentException
{
    /// <summary>Names the instrumented target folders the campaigns ran.</summary>
    /// <param name="targets">The distinct instrumented target folders, two or more.</param>
    /// <param name="paramName">The parameter that held the campaign folders.</param>
    public CampaignTargetsDifferException(IReadOnlyList<string> targets, string? paramName)
        : base($"the campaigns ran {targets.Count} different instrumented targets ({string.Join(", ", targets)}): their probe ids would not agree, so they cannot be read together", paramName)
    {
        Targets = targets;
    }

    /// <summary>The distinct instrumented target folders the campaigns ran.</summary>
    public IReadOnlyList<string> Targets { get; }
}
