using System.Globalization;

namespace AgentKit.Core.Cascade;

/// <summary>
/// Reads the textual form of a deferral rule and threshold, as <c>--defer</c> takes it: <c>total:T</c> (sequence
/// total), <c>min:T</c>, <c>p10:T</c>, <c>p25:T</c>, <c>p50:T</c>, <c>mean:T</c> (token statistics), or
/// <c>logistic:FILE:P</c> (a rule fitted by <see cref="LogisticDeferralRule.Fit"/>). T is the uncertainty above which
/// a step is deferred (a negated log probability, so ≥ 0); P is a probability of failure.
/// </summary>
public static class DeferralRuleSpec
{
    /// <summary>The options the spec describes.</summary>
    /// <exception cref="FormatException">The spec is malformed; the message lists the accepted forms.</exception>
    /// <exception cref="InvalidDataException">A logistic rule file is unusable.</exception>
    public static CascadeOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.LastIndexOf(':');
        if (colon <= 0 || !double.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || double.IsNaN(threshold))
            throw Malformed(spec);
        return new CascadeOptions(ParseRule(spec[..colon], spec), threshold);
    }

    /// <summary>The rule a spec names without its threshold: <c>total</c>, <c>min</c>, <c>p10</c>, …, or <c>logistic:FILE</c>.</summary>
    /// <exception cref="FormatException">No rule has that name.</exception>
    /// <exception cref="FileNotFoundException">A logistic rule file does not exist.</exception>
    /// <exception cref="InvalidDataException">A logistic rule file is unusable.</exception>
    public static IDeferralRule ParseRule(string rule) => ParseRule(rule, rule);

    private static IDeferralRule ParseRule(string rule, string spec)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.StartsWith("logistic:", StringComparison.OrdinalIgnoreCase))
        {
            var path = rule["logistic:".Length..];
            if (path.Length == 0)
                throw Malformed(spec);
            if (!File.Exists(path))
                throw new FileNotFoundException($"deferral rule file not found: {path}", path);
            return LogisticDeferralRule.Load(path);
        }
        return rule.ToLowerInvariant() switch
        {
            "total" => new SequenceTotalRule(),
            "min" => new TokenQuantileRule(TokenStatistic.Min),
            "p10" => new TokenQuantileRule(TokenStatistic.P10),
            "p25" => new TokenQuantileRule(TokenStatistic.P25),
            "p50" => new TokenQuantileRule(TokenStatistic.P50),
            "mean" => new TokenQuantileRule(TokenStatistic.Mean),
            _ => throw Malformed(spec),
        };
    }

    private static FormatException Malformed(string spec) => new(
        $"'{spec}' is not a deferral rule; use total:T, min:T, p10:T, p25:T, p50:T, mean:T (T: uncertainty, a negated log probability) or logistic:FILE:P.");
}
