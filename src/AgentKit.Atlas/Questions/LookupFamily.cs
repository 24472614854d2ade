using AgentKit.Atlas.Corpus;

namespace AgentKit.Atlas.Questions;

/// <summary>Single-fact lookup: "What is the capital of Peru?".</summary>
internal sealed class LookupFamily : IQuestionFamily
{
    private static readonly PhrasingTemplate[] s_generic =
    [
        new("lookup.g0", "What is the {attr} of {country}?"),
        new("lookup.g1", "Tell me the {attr} of {country}."),
        new("lookup.g2", "{country}: what is its {attr}?"),
        new("lookup.g3", "Look up the {attr} of {country}."),
        new("lookup.g4", "I would like to know the {attr} of {country}."),
        new("lookup.g5", "Find the {attr} for {country}."),
        new("lookup.g6", "Give me the {attr} of {country}, please."),
        new("lookup.g7", "Can you tell me what the {attr} of {country} is?", TemplateUse.HeldOut),
        new("lookup.g8", "According to the atlas, what is the {attr} of {country}?", TemplateUse.HeldOut),
        new("lookup.r0", "Do you know the {attr} of {country}?", TemplateUse.Rephrasing),
        new("lookup.r1", "Quick question: what's the {attr} of {country}?", TemplateUse.Rephrasing),
        new("lookup.r2", "I need the {attr} of {country}.", TemplateUse.Rephrasing),
        new("lookup.r3", "Please state the {attr} of {country}.", TemplateUse.Rephrasing),
        new("lookup.r4", "What would the {attr} of {country} be?", TemplateUse.Rephrasing),
    ];

    private static readonly Dictionary<string, PhrasingTemplate[]> s_specific = new()
    {
        ["capital"] = [new("lookup.capital.0", "Which city is the capital of {country}?"), new("lookup.capital.1", "What city serves as the capital of {country}?"), new("lookup.capital.2", "Name the capital of {country}.", TemplateUse.HeldOut)],
        ["continent"] = [new("lookup.continent.0", "On which continent is {country}?"), new("lookup.continent.1", "{country} lies on which continent?"), new("lookup.continent.2", "Which continent is {country} located in?", TemplateUse.HeldOut)],
        ["population"] = [new("lookup.population.0", "How many people live in {country}?"), new("lookup.population.1", "What is the total population of {country}?"), new("lookup.population.2", "How many inhabitants does {country} have?", TemplateUse.HeldOut)],
        ["area"] = [new("lookup.area.0", "How large is {country} in square kilometres?"), new("lookup.area.1", "What is the size of {country} in km²?"), new("lookup.area.2", "How many square kilometres does {country} cover?", TemplateUse.HeldOut)],
        ["currency"] = [new("lookup.currency.0", "Which currency is used in {country}?"), new("lookup.currency.1", "What is {country}'s currency called?"), new("lookup.currency.2", "What money do people use in {country}?", TemplateUse.HeldOut)],
        ["independence"] = [new("lookup.independence.0", "In which year did {country} become independent?"), new("lookup.independence.1", "What year did {country} achieve independence?"), new("lookup.independence.2", "When did {country} gain independence?", TemplateUse.HeldOut)],
        ["government"] = [new("lookup.government.0", "What kind of government does {country} have?"), new("lookup.government.1", "What is the political system of {country}?"), new("lookup.government.2", "How is {country} governed?", TemplateUse.HeldOut)],
    };

    public string Name => QuestionFamilies.Lookup;

    public IReadOnlyList<PhrasingTemplate> Templates { get; } = [.. s_generic, .. s_specific.Values.SelectMany(t => t)];

    /// <summary>The phrasings usable for <paramref name="fact"/> (also used for fake-country bad questions).</summary>
    public static IEnumerable<PhrasingTemplate> TemplatesFor(AtlasFact fact) => [.. s_generic, .. s_specific[fact.Key]];

    public QuestionDraft? TryDraw(DraftContext context)
    {
        var fact = context.Pick(AtlasFact.All);
        var country = context.PickCountries(1, c => Eligibility.Has(c, fact))?[0];
        if (country is null)
            return null;
        var template = context.PickTemplate(TemplatesFor(fact));
        var text = template.Fill(new Dictionary<string, string> { ["attr"] = context.Pick(FactPhrases.For(fact)), ["country"] = country.Name });
        return new QuestionDraft(text, Eligibility.Value(country, fact), Name, "lookup", template.Id, [country.Name], Eligibility.Tolerance(fact),
            new Dictionary<string, string> { ["fact"] = fact.Key, ["country"] = country.Name });
    }
}
