using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Questions;

/// <summary>
/// Arithmetic over retrieved facts: population density, combined population, population difference, area
/// ratio, years between independences. Results that are not whole numbers are rounded to 2 decimals and
/// graded with a 1% relative tolerance; year gaps are exact.
/// </summary>
internal sealed class ArithmeticFamily : IQuestionFamily
{
    private static readonly Dictionary<string, PhrasingTemplate[]> s_templates = new()
    {
        ["density"] =
        [
            new("arithmetic.density.0", "What is the population density of {a} in people per square kilometre?"),
            new("arithmetic.density.1", "How many people per square kilometre live in {a}?"),
            new("arithmetic.density.2", "Compute the population density of {a} (inhabitants per km²)."),
            new("arithmetic.density.3", "Divide the population of {a} by its surface area. What do you get?"),
            new("arithmetic.density.4", "On average, how many inhabitants does {a} have per square kilometre?"),
            new("arithmetic.density.5", "Calculate how densely populated {a} is, in people per square kilometre.", TemplateUse.HeldOut),
            new("arithmetic.density.r0", "What is {a}'s population divided by its area?", TemplateUse.Rephrasing),
            new("arithmetic.density.r1", "How crowded is {a}, in inhabitants per square kilometre?", TemplateUse.Rephrasing),
        ],
        ["population-sum"] =
        [
            new("arithmetic.sum.0", "What is the combined population of {a} and {b}?"),
            new("arithmetic.sum.1", "How many people live in {a} and {b} together?"),
            new("arithmetic.sum.2", "Add the populations of {a} and {b}."),
            new("arithmetic.sum.3", "What is the total number of inhabitants of {a} and {b}?"),
            new("arithmetic.sum.4", "If you add up the populations of {a} and {b}, what do you get?"),
            new("arithmetic.sum.5", "Together, how many inhabitants do {a} and {b} have?", TemplateUse.HeldOut),
            new("arithmetic.sum.r0", "What population do {a} and {b} have when counted together?", TemplateUse.Rephrasing),
            new("arithmetic.sum.r1", "Sum the inhabitants of {a} and {b}.", TemplateUse.Rephrasing),
        ],
        ["population-difference"] =
        [
            new("arithmetic.difference.0", "What is the difference between the populations of {a} and {b}?"),
            new("arithmetic.difference.1", "How many more people live in {a} than in {b}?"),
            new("arithmetic.difference.2", "By how many people does the population of {a} exceed that of {b}?"),
            new("arithmetic.difference.3", "Subtract the population of {b} from the population of {a}."),
            new("arithmetic.difference.4", "How much larger is the population of {a} than the population of {b}?"),
            new("arithmetic.difference.5", "What is the population gap between {a} and {b}?", TemplateUse.HeldOut),
            new("arithmetic.difference.r0", "How many more inhabitants does {a} have than {b}?", TemplateUse.Rephrasing),
            new("arithmetic.difference.r1", "What is the population of {a} minus the population of {b}?", TemplateUse.Rephrasing),
        ],
        ["area-ratio"] =
        [
            new("arithmetic.ratio.0", "How many times larger is {a} than {b} by surface area?"),
            new("arithmetic.ratio.1", "What is the ratio of the surface area of {a} to that of {b}?"),
            new("arithmetic.ratio.2", "Divide the surface area of {a} by the surface area of {b}."),
            new("arithmetic.ratio.3", "{a} is how many times the size of {b} in area?"),
            new("arithmetic.ratio.4", "By what factor does the area of {a} exceed the area of {b}?"),
            new("arithmetic.ratio.5", "How many times would {b} fit into {a} by area?", TemplateUse.HeldOut),
            new("arithmetic.ratio.r0", "What is the surface area of {a} divided by that of {b}?", TemplateUse.Rephrasing),
            new("arithmetic.ratio.r1", "By area, how many times bigger is {a} than {b}?", TemplateUse.Rephrasing),
        ],
        ["independence-gap"] =
        [
            new("arithmetic.gap.0", "How many years passed between the independence of {a} and the independence of {b}?"),
            new("arithmetic.gap.1", "How many years apart are the independence years of {a} and {b}?"),
            new("arithmetic.gap.2", "What is the difference in years between when {a} and {b} became independent?"),
            new("arithmetic.gap.3", "For {a} and {b}, subtract the earlier independence year from the later one."),
            new("arithmetic.gap.4", "How many years separate the independence of {a} from that of {b}?"),
            new("arithmetic.gap.5", "Counting from one independence to the other, how many years lie between {a} and {b}?", TemplateUse.HeldOut),
            new("arithmetic.gap.r0", "How many years are there between {a}'s independence and {b}'s?", TemplateUse.Rephrasing),
            new("arithmetic.gap.r1", "What is the gap in years between the independence of {a} and {b}?", TemplateUse.Rephrasing),
        ],
    };

    public string Name => QuestionFamilies.Arithmetic;

    public IReadOnlyList<PhrasingTemplate> Templates { get; } = [.. s_templates.Values.SelectMany(t => t)];

    public QuestionDraft? TryDraw(DraftContext context)
    {
        var kind = context.Pick(s_templates.Keys.ToList());
        var (entities, answer, tolerance) = kind switch
        {
            "density" => Density(context),
            "population-sum" => Pair(context, AtlasFact.Population, (a, b) => FactFormatting.Integer(a.Population!.Value + b.Population!.Value), 0.01),
            "population-difference" => Ordered(context, AtlasFact.Population, (a, b) => FactFormatting.Integer(a.Population!.Value - b.Population!.Value), 0.01),
            "area-ratio" => Ordered(context, AtlasFact.Area, (a, b) => FactFormatting.Number(a.AreaKm2!.Value / b.AreaKm2!.Value), 0.01),
            _ => Pair(context, AtlasFact.Independence, (a, b) => FactFormatting.Integer(Math.Abs(a.IndependenceYear!.Value - b.IndependenceYear!.Value)), 0),
        };
        if (entities is null)
            return null;
        var template = context.PickTemplate(s_templates[kind]);
        var slots = new Dictionary<string, string> { ["a"] = entities[0].Name };
        var parameters = new Dictionary<string, string> { ["a"] = entities[0].Name };
        if (entities.Count > 1)
            slots["b"] = parameters["b"] = entities[1].Name;
        return new QuestionDraft(template.Fill(slots), answer!, Name, kind, template.Id, [.. entities.Select(e => e.Name)], tolerance, parameters);
    }

    private static (IReadOnlyList<CountryFacts>?, string?, double) Density(DraftContext context)
    {
        // Below 1 person per km² the 2-decimal rounding would be off by more than the 1% tolerance.
        var country = context.PickCountries(1, c => Eligibility.Has(c, AtlasFact.Population) && Eligibility.Has(c, AtlasFact.Area) && c.Population!.Value >= c.AreaKm2!.Value)?[0];
        return country is null ? (null, null, 0) : ([country], FactFormatting.Number(country.Population!.Value / country.AreaKm2!.Value), 0.01);
    }

    /// <summary>Two countries with the fact, values different (a gap of 0 years or a tie is not a useful question).</summary>
    private static (IReadOnlyList<CountryFacts>?, string?, double) Pair(DraftContext context, AtlasFact fact, Func<CountryFacts, CountryFacts, string> answer, double tolerance)
    {
        if (context.PickCountries(2, c => Eligibility.Has(c, fact)) is not [var a, var b] || Eligibility.Number(a, fact) == Eligibility.Number(b, fact))
            return (null, null, 0);
        return ([a, b], answer(a, b), tolerance);
    }

    /// <summary>Like <see cref="Pair"/>, with the larger value first (the wordings say "how much larger is A than B").</summary>
    private static (IReadOnlyList<CountryFacts>?, string?, double) Ordered(DraftContext context, AtlasFact fact, Func<CountryFacts, CountryFacts, string> answer, double tolerance)
    {
        if (context.PickCountries(2, c => Eligibility.Has(c, fact)) is not [var a, var b] || Eligibility.Number(a, fact) == Eligibility.Number(b, fact))
            return (null, null, 0);
        if (Eligibility.Number(a, fact) < Eligibility.Number(b, fact))
            (a, b) = (b, a);
        return ([a, b], answer(a, b), tolerance);
    }
}
