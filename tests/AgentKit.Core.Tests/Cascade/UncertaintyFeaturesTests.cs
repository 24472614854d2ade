using AgentKit.Abstractions.Models;
using AgentKit.Core.Cascade;

namespace AgentKit.Core.Tests.Cascade;

public class UncertaintyFeaturesTests
{
    private static CandidateCompletion Candidate(params double[] logprobs) =>
        new("x", logprobs.Length, FinishReasons.Stop) { Logprobs = [.. logprobs.Select(l => new TokenLogprob("t", [116], l, []))] };

    [Fact]
    public void Statistics_of_one_sequence_match_hand_computed_values()
    {
        // Sorted: -3, -0.5, -0.2, -0.1. Quantiles interpolate between ranks: p10 at 0.3, p25 at 0.75, p50 at 1.5.
        var f = UncertaintyFeatures.Compute([Candidate(-0.1, -0.2, -3.0, -0.5)]);

        Assert.Equal(4, f.Tokens);
        Assert.Equal(-3.8, f.Total, 9);
        Assert.Equal(-0.95, f.Mean, 9);
        Assert.Equal(-3.0, f.Min, 9);
        Assert.Equal(-2.25, f.P10, 9);
        Assert.Equal(-1.125, f.P25, 9);
        Assert.Equal(-0.35, f.P50, 9);
    }

    [Fact]
    public void Several_candidates_pool_their_tokens_and_average_their_totals()
    {
        var f = UncertaintyFeatures.Compute([Candidate(-1, -1), Candidate(-4)]);

        Assert.Equal(3, f.Tokens);
        Assert.Equal(-3.0, f.Total, 9); // (-2 + -4) / 2
        Assert.Equal(-2.0, f.Mean, 9);
        Assert.Equal(-4.0, f.Min, 9);
    }

    [Fact]
    public void No_generated_token_is_certain_and_missing_logprobs_are_an_error()
    {
        Assert.Equal(new TokenUncertainty(0, 0, 0, 0, 0, 0, 0), UncertaintyFeatures.Compute([Candidate()]));
        Assert.Equal(UncertaintyFeatures.Floor - 1, UncertaintyFeatures.Compute([Candidate(double.NegativeInfinity, -1)]).Total, 9); // stays finite
        var error = Assert.Throws<ArgumentException>(() => UncertaintyFeatures.Compute([new CandidateCompletion("x", 1, FinishReasons.Stop)]));
        Assert.Contains("TopLogprobs", error.Message);
    }
}
