using System.Globalization;

namespace AgentKit.Atlas.Corpus;

/// <summary>How a fact's value is read back from passage text.</summary>
public enum FactValueKind
{
    /// <summary>A name or phrase, read as the rest of the sentence.</summary>
    Text,

    /// <summary>A whole number (population, year), read with <c>long.Parse</c> / <c>int.Parse</c>.</summary>
    Integer,

    /// <summary>A number of square kilometres, read with <c>double.Parse</c>.</summary>
    Area,
}

/// <summary>
/// One fact a question can ask about, with the exact sentence the corpus states it in and the regular
/// expression that reads it back. The corpus builder and the teacher both use these, so what the teacher's
/// code extracts is by construction what the corpus says.
/// </summary>
/// <param name="Key">Short identifier, e.g. <c>capital</c>.</param>
/// <param name="SentenceFormat">Composite format of the sentence: {0} the country, {1} the value.</param>
/// <param name="Pattern">Regular expression whose group 1 is the value; it does not mention the country, so country names never need escaping.</param>
/// <param name="SearchWords">Words the teacher adds to the country name in its search query.</param>
/// <param name="Variable">C# variable name the teacher's code stores the value in.</param>
/// <param name="Kind">How the value is parsed.</param>
public sealed record AtlasFact(string Key, string SentenceFormat, string Pattern, string SearchWords, string Variable, FactValueKind Kind)
{
    /// <summary>"The capital of Peru is Lima."</summary>
    public static readonly AtlasFact Capital = new("capital", "The capital of {0} is {1}.", @"The capital of .+? is ([^.]+)\.", "capital", "capital", FactValueKind.Text);

    /// <summary>"The continent of Peru is South America."</summary>
    public static readonly AtlasFact Continent = new("continent", "The continent of {0} is {1}.", @"The continent of .+? is ([^.]+)\.", "continent", "continent", FactValueKind.Text);

    /// <summary>"The population of Peru is 31989256."</summary>
    public static readonly AtlasFact Population = new("population", "The population of {0} is {1}.", @"The population of .+? is (\d+)\.", "population", "population", FactValueKind.Integer);

    /// <summary>"The surface area of Peru is 1285216 square kilometres."</summary>
    public static readonly AtlasFact Area = new("area", "The surface area of {0} is {1} square kilometres.", @"The surface area of .+? is ([\d.]+) square", "surface area", "area", FactValueKind.Area);

    /// <summary>"The currency of Peru is Peruvian Sol."</summary>
    public static readonly AtlasFact Currency = new("currency", "The currency of {0} is {1}.", @"The currency of .+? is ([^.]+)\.", "currency", "currency", FactValueKind.Text);

    /// <summary>"The independence year of Peru is 1821." (years BC are written "660 BC" and do not match).</summary>
    public static readonly AtlasFact Independence = new("independence", "The independence year of {0} is {1}.", @"The independence year of .+? is (\d+)\.", "independence year", "year", FactValueKind.Integer);

    /// <summary>"The government type of Peru is Republic."</summary>
    public static readonly AtlasFact Government = new("government", "The government type of {0} is {1}.", @"The government type of .+? is ([^.]+)\.", "government type", "government", FactValueKind.Text);

    /// <summary>The facts questions ask about.</summary>
    public static IReadOnlyList<AtlasFact> All { get; } = [Capital, Continent, Population, Area, Currency, Independence, Government];

    /// <summary>The fact with <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">No fact has that key.</exception>
    public static AtlasFact ByKey(string key) =>
        All.FirstOrDefault(f => f.Key == key) ?? throw new ArgumentException($"Unknown atlas fact \"{key}\"; known: {string.Join(", ", All.Select(f => f.Key))}.", nameof(key));

    /// <summary>The sentence stating <paramref name="value"/> for <paramref name="country"/>.</summary>
    public string Sentence(string country, string value) => string.Format(CultureInfo.InvariantCulture, SentenceFormat, country, value);
}

/// <summary>The sentences of capital and city passages and their read-back patterns.</summary>
public static class AtlasLinkFacts
{
    /// <summary>Text of a capital passage: "Lima is the capital of Peru."</summary>
    public const string CapitalOfFormat = "{0} is the capital of {1}.";

    /// <summary>Reads the country from a capital passage.</summary>
    public const string CapitalOfPattern = @"is the capital of ([^.]+)\.";

    /// <summary>Text of a city passage: "Arequipa is a city in Peru."</summary>
    public const string CityInFormat = "{0} is a city in {1}.";

    /// <summary>Reads the country from a city passage.</summary>
    public const string CityInPattern = @"is a city in ([^.]+)\.";
}
