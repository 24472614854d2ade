using AgentKit.Atlas.Corpus;

namespace AgentKit.Atlas.Questions;

/// <summary>
/// Two-hop bridges: a fact of the country whose capital is X ("bridge-capital"), or of the country where
/// city Y is ("bridge-city"). Only capitals and cities that name exactly one place are used.
/// </summary>
internal sealed class BridgeFamily : IQuestionFamily
{
    private static readonly PhrasingTemplate[] s_capital =
    [
        new("bridge.capital.0", "What is the {attr} of the country whose capital is {place}?"),
        new("bridge.capital.1", "{place} is the capital of a country. What is that country's {attr}?"),
        new("bridge.capital.2", "Find the {attr} of the country that has {place} as its capital."),
        new("bridge.capital.3", "Tell me the {attr} of the nation whose capital city is {place}."),
        new("bridge.capital.4", "The capital of some country is {place}. What is the {attr} of that country?"),
        new("bridge.capital.5", "Which country has the capital {place}? Give that country's {attr}."),
        new("bridge.capital.6", "For the country with its capital in {place}, what is the {attr}?", TemplateUse.HeldOut),
        new("bridge.capital.7", "If {place} is a country's capital, what is the {attr} of that country?", TemplateUse.HeldOut),
        new("bridge.capital.r0", "Whose capital is {place}? Give that country's {attr}.", TemplateUse.Rephrasing),
        new("bridge.capital.r1", "Give the {attr} of the country governed from {place}.", TemplateUse.Rephrasing),
    ];

    private static readonly PhrasingTemplate[] s_city =
    [
        new("bridge.city.0", "What is the {attr} of the country where the city of {place} is?"),
        new("bridge.city.1", "{place} is a city. What is the {attr} of the country it is in?"),
        new("bridge.city.2", "Find the {attr} of the country in which {place} is located."),
        new("bridge.city.3", "Tell me the {attr} of the country that contains the city {place}."),
        new("bridge.city.4", "The city {place} lies in some country. What is that country's {attr}?"),
        new("bridge.city.5", "What is the {attr} of {place}'s country?"),
        new("bridge.city.6", "In the country where you find the city of {place}, what is the {attr}?", TemplateUse.HeldOut),
        new("bridge.city.7", "Look up the country of the city {place} and give its {attr}.", TemplateUse.HeldOut),
        new("bridge.city.r0", "The city of {place} is in a country; give me that country's {attr}.", TemplateUse.Rephrasing),
        new("bridge.city.r1", "What {attr} does the country containing {place} have?", TemplateUse.Rephrasing),
    ];

    private static readonly AtlasFact[] s_capitalFacts = [AtlasFact.Currency, AtlasFact.Continent, AtlasFact.Population, AtlasFact.Government, AtlasFact.Independence, AtlasFact.Area];
    private static readonly AtlasFact[] s_cityFacts = [AtlasFact.Continent, AtlasFact.Capital, AtlasFact.Currency, AtlasFact.Population, AtlasFact.Government];

    public string Name => QuestionFamilies.Bridge;

    public IReadOnlyList<PhrasingTemplate> Templates { get; } = [.. s_capital, .. s_city];

    public QuestionDraft? TryDraw(DraftContext context)
    {
        var viaCity = context.Random.Next(2) == 0;
        var fact = context.Pick(viaCity ? s_cityFacts : s_capitalFacts);
        var country = context.PickCountries(1, c => Eligibility.Has(c, fact) && (viaCity || Eligibility.IsBridgeCapital(context.Data, c)))?[0];
        if (country is null)
            return null;
        string place;
        if (viaCity)
        {
            var cities = context.Data.PassageCities(country, context.MaxCitiesPerCountry);
            if (cities.Count == 0)
                return null;
            place = context.Pick(cities);
        }
        else
        {
            place = country.Capital!;
        }
        var template = context.PickTemplate(viaCity ? s_city : s_capital);
        var text = template.Fill(new Dictionary<string, string> { ["attr"] = context.Pick(FactPhrases.For(fact)), ["place"] = place });
        var kind = viaCity ? "bridge-city" : "bridge-capital";
        return new QuestionDraft(text, Eligibility.Value(country, fact), Name, kind, template.Id, [country.Name], Eligibility.Tolerance(fact),
            new Dictionary<string, string> { ["fact"] = fact.Key, [viaCity ? "city" : "capital"] = place });
    }
}
