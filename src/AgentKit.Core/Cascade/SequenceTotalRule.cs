using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>
/// The baseline rule: uncertainty is minus the sequence log probability (<see cref="TokenUncertainty.Total"/>). It
/// grows with length, so long but confident replies are deferred before short unsure ones; kept to measure that bias.
/// </summary>
public sealed class SequenceTotalRule : IDeferralRule
{
    /// <inheritdoc />
    public string Name => "total";

    /// <inheritdoc />
    public double Uncertainty(TokenUncertainty features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return -features.Total;
    }
}
