using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>Turns a student's token statistics into one uncertainty score; a cascade defers when it exceeds a threshold.</summary>
public interface IDeferralRule
{
    /// <summary>Short name recorded with every routing decision (<c>total</c>, <c>p10</c>, <c>logistic</c>…).</summary>
    string Name { get; }

    /// <summary>The uncertainty of a reply with <paramref name="features"/>: higher means less sure.</summary>
    double Uncertainty(TokenUncertainty features);
}
