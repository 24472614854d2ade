using AgentKit.Atlas.Corpus;

namespace AgentKit.Atlas.Questions;

/// <summary>Which of two countries has the larger or smaller area or population, or the earlier or later independence. Ties are skipped.</summary>
internal sealed class ComparisonFamily : IQuestionFamily
{
    /// <summary>One comparison: the fact, whether the larger value wins, how to say it, and wordings of its own.</summary>
    private sealed record Comparison(AtlasFact Fact, bool Larger, string[] Phrases, PhrasingTemplate[] Own);

    private static readonly PhrasingTemplate[] s_generic =
    [
        new("comparison.g0", "Which country has the {cmp}, {a} or {b}?"),
        new("comparison.g1", "{a} or {b}: which one has the {cmp}?"),
        new("comparison.g2", "Between {a} and {b}, which has the {cmp}?"),
        new("comparison.g3", "Compare {a} and {b}. Which has the {cmp}?"),
        new("comparison.g4", "Of {a} and {b}, name the country with the {cmp}."),
        new("comparison.g5", "Does {a} or {b} have the {cmp}?"),
        new("comparison.g6", "Tell me which of {a} and {b} has the {cmp}.", TemplateUse.HeldOut),
        new("comparison.g7", "Looking at {a} and {b}, which one has the {cmp}?", TemplateUse.HeldOut),
        new("comparison.r0", "Which of the two has the {cmp}: {a} or {b}?", TemplateUse.Rephrasing),
        new("comparison.r1", "I am comparing {a} with {b}. Which one has the {cmp}?", TemplateUse.Rephrasing),
        new("comparison.r2", "{a} versus {b}: which has the {cmp}?", TemplateUse.Rephrasing),
        new("comparison.r3", "Please say whether {a} or {b} has the {cmp}.", TemplateUse.Rephrasing),
        new("comparison.r4", "Who has the {cmp}, {a} or {b}?", TemplateUse.Rephrasing),
    ];

    private static readonly Comparison[] s_comparisons =
    [
        new(AtlasFact.Area, true, ["larger surface area", "bigger area"], [new("comparison.area-max.0", "Which is bigger by area, {a} or {b}?"), new("comparison.area-max.1", "Which covers more land, {a} or {b}?")]),
        new(AtlasFact.Area, false, ["smaller surface area", "smaller area"], [new("comparison.area-min.0", "Which is smaller in area, {a} or {b}?"), new("comparison.area-min.1", "Which covers less land, {a} or {b}?")]),
        new(AtlasFact.Population, true, ["larger population", "bigger population"], [new("comparison.population-max.0", "Which is more populous, {a} or {b}?"), new("comparison.population-max.1", "Where do more people live, in {a} or in {b}?")]),
        new(AtlasFact.Population, false, ["smaller population", "lower number of inhabitants"], [new("comparison.population-min.0", "Which is less populous, {a} or {b}?"), new("comparison.population-min.1", "Where do fewer people live, in {a} or in {b}?")]),
        new(AtlasFact.Independence, false, ["earlier independence year", "earlier year of independence"], [new("comparison.independence-min.0", "Which became independent first, {a} or {b}?"), new("comparison.independence-min.1", "Which gained independence earlier, {a} or {b}?")]),
        new(AtlasFact.Independence, true, ["later independence year", "more recent year of independence"], [new("comparison.independence-max.0", "Which became independent more recently, {a} or {b}?"), new("comparison.independence-max.1", "Which gained independence later, {a} or {b}?")]),
    ];

    public string Name => QuestionFamilies.Comparison;

    public IReadOnlyList<PhrasingTemplate> Templates { get; } = [.. s_generic, .. s_comparisons.SelectMany(c => c.Own)];

    public QuestionDraft? TryDraw(DraftContext context)
    {
        var comparison = context.Pick(s_comparisons);
        var fact = comparison.Fact;
        if (context.PickCountries(2, c => Eligibility.Has(c, fact)) is not [var a, var b])
            return null;
        var va = Eligibility.Number(a, fact);
        var vb = Eligibility.Number(b, fact);
        if (va == vb)
            return null; // a tie has no single answer
        var winner = (va > vb) == comparison.Larger ? a : b;
        var template = context.PickTemplate([.. s_generic, .. comparison.Own]);
        var text = template.Fill(new Dictionary<string, string> { ["cmp"] = context.Pick(comparison.Phrases), ["a"] = a.Name, ["b"] = b.Name });
        return new QuestionDraft(text, winner.Name, Name, $"compare-{fact.Key}-{(comparison.Larger ? "max" : "min")}", template.Id, [a.Name, b.Name], null,
            new Dictionary<string, string> { ["fact"] = fact.Key, ["direction"] = comparison.Larger ? "max" : "min", ["a"] = a.Name, ["b"] = b.Name });
    }
}
