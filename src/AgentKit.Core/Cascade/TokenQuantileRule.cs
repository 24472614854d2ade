using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>Which token statistic a <see cref="TokenQuantileRule"/> reads.</summary>
public enum TokenStatistic
{
    /// <summary>The least likely token.</summary>
    Min,

    /// <summary>The 10th percentile of token log probabilities.</summary>
    P10,

    /// <summary>The 25th percentile.</summary>
    P25,

    /// <summary>The median.</summary>
    P50,

    /// <summary>The mean (length-normalised sequence score).</summary>
    Mean,
}

/// <summary>
/// Uncertainty from one token-level statistic, independent of length: minus a low quantile of the token log
/// probabilities (the "Language Model Cascades: token-level uncertainty" finding that a few unsure tokens say more than
/// the sequence total).
/// </summary>
/// <param name="statistic">The statistic read (default <see cref="TokenStatistic.P10"/>).</param>
public sealed class TokenQuantileRule(TokenStatistic statistic = TokenStatistic.P10) : IDeferralRule
{
    /// <summary>The statistic this rule reads.</summary>
    public TokenStatistic Statistic { get; } = statistic;

    /// <inheritdoc />
    public string Name => Statistic.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public double Uncertainty(TokenUncertainty features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return -(Statistic switch
        {
            TokenStatistic.Min => features.Min,
            TokenStatistic.P10 => features.P10,
            TokenStatistic.P25 => features.P25,
            TokenStatistic.P50 => features.P50,
            TokenStatistic.Mean => features.Mean,
            _ => throw new InvalidOperationException($"Unknown statistic {Statistic}."),
        });
    }
}
