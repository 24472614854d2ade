using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Questions;

/// <summary>
/// Which countries and facts questions may use. A question must have exactly one right answer that the
/// teacher's code can read back from the corpus, so anything missing, garbled or ambiguous is left out.
/// </summary>
internal static class Eligibility
{
    /// <summary>Countries questions can be about: a continent other than Antarctica, and a name without punctuation that would confuse a reader or a regex.</summary>
    public static bool IsQuestionCountry(CountryFacts c) =>
        c.Continent is { } continent && continent != "Antarctica" && c.Name.IndexOfAny(['.', ',', '(', '"']) < 0;

    /// <summary>Whether <paramref name="c"/> has a clean value for <paramref name="fact"/>.</summary>
    public static bool Has(CountryFacts c, AtlasFact fact) => fact.Key switch
    {
        "capital" => IsCleanText(c.Capital),
        "continent" => IsCleanText(c.Continent),
        "population" => c.Population is >= 1000, // uninhabited places (0, 30, 67 people) make odd questions
        "area" => c.AreaKm2 is >= 1 and var a && a == Math.Floor(a), // whole km², parsed the same in any culture
        "currency" => IsCleanText(c.CurrencyName),
        "independence" => c.IndependenceYear is > 0,
        "government" => IsCleanText(c.Government),
        _ => false,
    };

    /// <summary>The gold text of <paramref name="fact"/> for <paramref name="c"/> (call <see cref="Has"/> first).</summary>
    public static string Value(CountryFacts c, AtlasFact fact) => fact.Key switch
    {
        "capital" => c.Capital!,
        "continent" => c.Continent!,
        "population" => FactFormatting.Integer(c.Population!.Value),
        "area" => FactFormatting.Number(c.AreaKm2!.Value),
        "currency" => c.CurrencyName!,
        "independence" => FactFormatting.Year(c.IndependenceYear!.Value),
        "government" => c.Government!,
        _ => throw new ArgumentException($"No value for fact {fact.Key}."),
    };

    /// <summary>The numeric value of a numeric fact.</summary>
    public static double Number(CountryFacts c, AtlasFact fact) => fact.Key switch
    {
        "population" => c.Population!.Value,
        "area" => c.AreaKm2!.Value,
        "independence" => c.IndependenceYear!.Value,
        _ => throw new ArgumentException($"Fact {fact.Key} is not numeric."),
    };

    /// <summary>Relative tolerance of an answer that is this fact: exact for years, 1% for counts of people and km².</summary>
    public static double? Tolerance(AtlasFact fact) => fact.Kind switch
    {
        FactValueKind.Text => null,
        _ when fact == AtlasFact.Independence => 0,
        _ => 0.01,
    };

    /// <summary>A capital that names one place: unique among capitals, not a country name, clean text (so it has its own passage and title).</summary>
    public static bool IsBridgeCapital(AtlasData data, CountryFacts c) =>
        IsCleanText(c.Capital) && data.CapitalOwners(c.Capital!).Count == 1 && !data.IsCountryName(c.Capital!);

    /// <summary>Names that a list "A, B and C" can show unambiguously.</summary>
    public static bool IsListable(CountryFacts c) => !c.Name.Contains(" and ", StringComparison.Ordinal);

    private static bool IsCleanText(string? value) => !string.IsNullOrWhiteSpace(value) && value.IndexOfAny(['.', ',', '"']) < 0;
}
