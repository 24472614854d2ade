namespace AgentKit.Atlas.Data;

/// <summary>The source files the atlas reads (from the MIT-licensed <c>country-json</c> package), relative to the source folder.</summary>
public static class SourceFiles
{
    /// <summary>The licence notice that must travel with the data.</summary>
    public const string License = "LICENSE";

    /// <summary>The list of canonical country names; every other file is joined to it.</summary>
    public const string Names = "country-by-name.json";

    /// <summary>Every attribute file read, with the JSON property holding its value.</summary>
    public static readonly IReadOnlyList<(string File, string Property)> Attributes =
    [
        ("country-by-abbreviation.json", "abbreviation"),
        ("country-by-capital-city.json", "city"),
        ("country-by-continent.json", "continent"),
        ("country-by-region-in-world.json", "location"),
        ("country-by-population.json", "population"),
        ("country-by-surface-area.json", "area"),
        ("country-by-currency-name.json", "currency_name"),
        ("country-by-currency-code.json", "currency_code"),
        ("country-by-languages.json", "languages"),
        ("country-by-independence-date.json", "independence"),
        ("country-by-government-type.json", "government"),
        ("country-by-landlocked.json", "landlocked"),
        ("country-by-calling-code.json", "calling_code"),
        ("country-by-domain-tld.json", "tld"),
        ("country-by-religion.json", "religion"),
        ("country-by-national-dish.json", "dish"),
        ("country-by-life-expectancy.json", "expectancy"),
        ("country-by-yearly-average-temperature.json", "temperature"),
        ("country-by-cities.json", "cities"),
    ];

    /// <summary>All file names a complete source folder holds.</summary>
    public static IEnumerable<string> All => [License, Names, .. Attributes.Select(a => a.File)];
}
