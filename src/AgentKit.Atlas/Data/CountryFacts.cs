namespace AgentKit.Atlas.Data;

/// <summary>
/// The cleaned facts of one country or territory, joined from the per-attribute source files by country name.
/// A null (or empty list) means the source has no clean value for it.
/// </summary>
public sealed record CountryFacts
{
    /// <summary>Canonical name, as in <c>country-by-name.json</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Two-letter ISO code.</summary>
    public string? Code { get; init; }

    /// <summary>Capital city (an alternative spelling in brackets is dropped).</summary>
    public string? Capital { get; init; }

    /// <summary>Continent.</summary>
    public string? Continent { get; init; }

    /// <summary>Region of the world, e.g. "Southern Europe".</summary>
    public string? Region { get; init; }

    /// <summary>Number of inhabitants (0 for uninhabited places).</summary>
    public long? Population { get; init; }

    /// <summary>Surface area in square kilometres.</summary>
    public double? AreaKm2 { get; init; }

    /// <summary>Currency name, e.g. "Peruvian Sol".</summary>
    public string? CurrencyName { get; init; }

    /// <summary>ISO 4217 currency code.</summary>
    public string? CurrencyCode { get; init; }

    /// <summary>Languages, without names the source garbled (mojibake).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>Year of independence; negative for years BC.</summary>
    public int? IndependenceYear { get; init; }

    /// <summary>Government type, e.g. "Republic".</summary>
    public string? Government { get; init; }

    /// <summary>Whether the country has no coast.</summary>
    public bool? Landlocked { get; init; }

    /// <summary>International calling code (without "+").</summary>
    public int? CallingCode { get; init; }

    /// <summary>Internet top-level domain, e.g. ".pe".</summary>
    public string? Tld { get; init; }

    /// <summary>Main religion.</summary>
    public string? Religion { get; init; }

    /// <summary>National dishes (the source lists several in one comma-separated string).</summary>
    public IReadOnlyList<string> NationalDishes { get; init; } = [];

    /// <summary>Life expectancy at birth in years.</summary>
    public double? LifeExpectancy { get; init; }

    /// <summary>Yearly average temperature in degrees Celsius.</summary>
    public double? AverageTemperature { get; init; }

    /// <summary>Cities of the country in source order, without names that carry punctuation (parentheses, dots, slashes, commas).</summary>
    public IReadOnlyList<string> Cities { get; init; } = [];
}
