using AgentKit.Core.Cascade;

namespace AgentKit.Core.Tests.Cascade;

public class DeferralRuleTests
{
    // A long reply the model is sure of, and a short one with one token it hesitated on.
    private static readonly double[] LongAndSure = [.. Enumerable.Repeat(-0.2, 20)];
    private static readonly double[] ShortWithOneDoubt = [-0.05, -0.05, -2.5];

    [Fact]
    public void The_sequence_total_is_length_biased_and_a_low_quantile_is_not()
    {
        var longSure = UncertaintyFeatures.Compute(LongAndSure);
        var shortDoubt = UncertaintyFeatures.Compute(ShortWithOneDoubt);
        var total = new SequenceTotalRule();
        var min = new TokenQuantileRule(TokenStatistic.Min);

        Assert.Equal(4.0, total.Uncertainty(longSure), 9);
        Assert.Equal(2.6, total.Uncertainty(shortDoubt), 9);
        Assert.True(total.Uncertainty(longSure) > total.Uncertainty(shortDoubt)); // defers the wrong one first
        Assert.Equal(0.2, min.Uncertainty(longSure), 9);
        Assert.Equal(2.5, min.Uncertainty(shortDoubt), 9);
        Assert.Equal(["total", "min", "p10"], new IDeferralRule[] { total, min, new TokenQuantileRule() }.Select(r => r.Name));
    }

    [Theory]
    [InlineData("total:5", "total", 5.0)]
    [InlineData("p10:1.5", "p10", 1.5)]
    [InlineData("min:3", "min", 3.0)]
    [InlineData("p25:0.25", "p25", 0.25)]
    [InlineData("mean:-1e9", "mean", -1e9)]
    public void Specs_name_a_rule_and_a_threshold(string spec, string rule, double threshold)
    {
        var options = DeferralRuleSpec.Parse(spec);

        Assert.Equal(rule, options.Rule.Name);
        Assert.Equal(threshold, options.Threshold);
    }

    [Fact]
    public void A_rule_reads_without_its_threshold()
    {
        Assert.Equal("p25", DeferralRuleSpec.ParseRule("p25").Name);
        Assert.IsType<SequenceTotalRule>(DeferralRuleSpec.ParseRule("TOTAL"));
        Assert.Throws<FormatException>(() => DeferralRuleSpec.ParseRule("p90"));
        Assert.Throws<FileNotFoundException>(() => DeferralRuleSpec.ParseRule("logistic:/nonexistent/rule.json"));
    }

    [Theory]
    [InlineData("total")]
    [InlineData("p90:1")]
    [InlineData("total:x")]
    [InlineData(":1")]
    [InlineData("total:NaN")]
    public void Malformed_specs_list_the_accepted_forms(string spec)
    {
        var error = Assert.Throws<FormatException>(() => DeferralRuleSpec.Parse(spec));
        Assert.Contains("logistic:FILE:P", error.Message);
    }

    [Fact]
    public void A_fitted_logistic_rule_learns_that_unsure_tokens_fail_and_survives_a_file_round_trip()
    {
        // Runs fail when the step's least likely token is below -2 (with some exceptions either way).
        var random = new Random(5);
        var samples = Enumerable.Range(0, 300).Select(_ =>
        {
            var min = -random.NextDouble() * 4;
            var tokens = random.Next(5, 60);
            var failed = (min < -2) ^ (random.NextDouble() < 0.1);
            return new DeferralSample(new Abstractions.Models.TokenUncertainty(tokens, -0.3 * tokens + min, -0.3, min, min / 2, -0.3, -0.2), failed);
        }).ToList();

        var rule = LogisticDeferralRule.Fit(samples);
        var sure = UncertaintyFeatures.Compute([-0.1, -0.2, -0.1, -0.3]);
        var unsure = UncertaintyFeatures.Compute([-0.1, -3.5, -0.1, -0.3]);

        Assert.True(rule.Uncertainty(unsure) > 0.7, $"unsure: {rule.Uncertainty(unsure)}");
        Assert.True(rule.Uncertainty(sure) < 0.3, $"sure: {rule.Uncertainty(sure)}");
        var path = Path.Combine(Path.GetTempPath(), $"rule-{Guid.NewGuid():N}.json");
        try
        {
            rule.Save(path);
            var options = DeferralRuleSpec.Parse($"logistic:{path}:0.5");
            Assert.Equal("logistic", options.Rule.Name);
            Assert.Equal(rule.Uncertainty(unsure), options.Rule.Uncertainty(unsure), 12);
            File.WriteAllText(path, "{\"kind\":\"logistic\",\"features\":[\"total\"]}");
            Assert.Throws<InvalidDataException>(() => LogisticDeferralRule.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fitting_needs_both_outcomes()
    {
        var f = UncertaintyFeatures.Compute([-0.1]);
        Assert.Throws<ArgumentException>(() => LogisticDeferralRule.Fit([new DeferralSample(f, true), new DeferralSample(f, true)]));
    }
}
