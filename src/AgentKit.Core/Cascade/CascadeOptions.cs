namespace AgentKit.Core.Cascade;

/// <summary>When a <see cref="CascadeCandidateGenerator"/> sends a request to its teacher. Validated at construction.</summary>
public sealed record CascadeOptions
{
    /// <summary>Creates options; throws when they are unusable.</summary>
    /// <exception cref="ArgumentException"><paramref name="threshold"/> is NaN.</exception>
    public CascadeOptions(IDeferralRule rule, double threshold)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (double.IsNaN(threshold))
            throw new ArgumentException("the deferral threshold must be a number (+∞ never defers, -∞ always does).", nameof(threshold));
        Rule = rule;
        Threshold = threshold;
    }

    /// <summary>Scores the student's reply.</summary>
    public IDeferralRule Rule { get; }

    /// <summary>A request is deferred when the rule's uncertainty is above this.</summary>
    public double Threshold { get; }
}
