using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Corpus;

/// <summary>
/// Builds the atlas corpus from <see cref="AtlasData"/>: one passage per country stating its facts in plain
/// sentences (see <see cref="AtlasFact"/>), one per capital ("Lima is the capital of Peru.") and one per
/// chosen city ("Arequipa is a city in Peru."). Titles are unique, so agent code can pick a passage by title.
/// Deterministic: the same data and options give the same passages in the same order.
/// </summary>
public sealed class AtlasCorpusBuilder
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly AtlasCorpusOptions _options;

    /// <summary>Creates a builder; <paramref name="options"/> are validated here.</summary>
    public AtlasCorpusBuilder(AtlasCorpusOptions? options = null) => _options = (options ?? new AtlasCorpusOptions()).Validate();

    /// <summary>All passages: countries (by name), then capitals, then cities.</summary>
    public IReadOnlyList<AtlasPassage> Build(AtlasData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var passages = new List<AtlasPassage>();
        passages.AddRange(data.Countries.Select(c => CountryPassage(data, c)));
        passages.AddRange(CapitalPassages(data));
        foreach (var country in data.Countries)
        {
            foreach (var city in data.PassageCities(country, _options.MaxCitiesPerCountry))
                passages.Add(new AtlasPassage($"city/{Slug(country.Name)}/{Slug(city)}", city, Format(AtlasLinkFacts.CityInFormat, city, country.Name)));
        }
        var duplicate = passages.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two passages would share the id \"{duplicate.Key}\"; the source has near-duplicate names.");
        return passages;
    }

    /// <summary>Writes <paramref name="passages"/> as JSONL (one <c>{"id","title","text"}</c> per line, UTF-8, LF).</summary>
    public static void WriteJsonl(IEnumerable<AtlasPassage> passages, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(path, ToJsonl(passages), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The JSONL text <see cref="WriteJsonl"/> writes: one <c>{"id","title","text"}</c> per line, each ended by LF.</summary>
    public static string ToJsonl(IEnumerable<AtlasPassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var sb = new StringBuilder();
        foreach (var passage in passages)
            sb.Append(JsonSerializer.Serialize(passage, s_json)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The passage of one country: its facts, then as many of its passage cities as fit (at most 12).</summary>
    public AtlasPassage CountryPassage(AtlasData data, CountryFacts c)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(c);
        var n = c.Name;
        var s = new List<string>
        {
            c.Continent is { } continent ? $"{n} is a country in {continent}." : $"{n} is a country.",
        };
        if (c.Capital is { } capital) s.Add(AtlasFact.Capital.Sentence(n, capital));
        if (c.Continent is { } cont) s.Add(AtlasFact.Continent.Sentence(n, cont));
        if (c.Region is { } region) s.Add($"The region of {n} is {region}.");
        if (c.Population is { } population) s.Add(AtlasFact.Population.Sentence(n, FactFormatting.Integer(population)));
        if (c.AreaKm2 is { } area) s.Add(AtlasFact.Area.Sentence(n, FactFormatting.Number(area)));
        if (c.CurrencyName is { } currency) s.Add(AtlasFact.Currency.Sentence(n, currency));
        if (c.CurrencyCode is { } code) s.Add($"The currency code of {n} is {code}.");
        if (c.Languages.Count == 1) s.Add($"The language of {n} is {c.Languages[0]}.");
        if (c.Languages.Count > 1) s.Add($"The languages of {n} are {FactFormatting.List(c.Languages)}.");
        if (c.IndependenceYear is { } year) s.Add(AtlasFact.Independence.Sentence(n, FactFormatting.Year(year)));
        if (c.Government is { } government) s.Add(AtlasFact.Government.Sentence(n, government));
        if (c.Landlocked == true) s.Add($"{n} is landlocked.");
        else if (c.Landlocked == false) s.Add($"{n} is not landlocked.");
        if (c.CallingCode is { } calling) s.Add($"The calling code of {n} is +{FactFormatting.Integer(calling)}.");
        if (c.Tld is { } tld) s.Add($"The internet domain of {n} is {tld}.");
        if (c.Religion is { } religion) s.Add($"The main religion of {n} is {religion}.");
        if (c.NationalDishes.Count == 1) s.Add($"The national dish of {n} is {c.NationalDishes[0]}.");
        if (c.NationalDishes.Count > 1) s.Add($"The national dishes of {n} are {FactFormatting.List(c.NationalDishes)}.");
        if (c.LifeExpectancy is { } life) s.Add($"The life expectancy in {n} is {FactFormatting.Number(life)} years.");
        if (c.AverageTemperature is { } temperature) s.Add($"The yearly average temperature of {n} is {FactFormatting.Number(temperature)} degrees Celsius.");

        var text = string.Join(' ', s);
        var cities = new List<string>();
        foreach (var city in data.PassageCities(c, _options.MaxCitiesPerCountry))
        {
            var candidate = $"{text} Cities in {n} include {FactFormatting.List([.. cities, city])}.";
            if (candidate.Length > _options.MaxCountryPassageChars || cities.Count >= 12)
                break;
            cities.Add(city);
        }
        if (cities.Count > 0)
            text = $"{text} Cities in {n} include {FactFormatting.List(cities)}.";
        return new AtlasPassage($"country/{Slug(n)}", n, text);
    }

    private static IEnumerable<AtlasPassage> CapitalPassages(AtlasData data) =>
        data.Countries
            .Where(c => c.Capital is not null && !data.IsCountryName(c.Capital))
            .GroupBy(c => c.Capital!, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AtlasPassage(
                $"capital/{Slug(g.Key)}",
                g.Key,
                string.Join(' ', g.Select(c => Format(AtlasLinkFacts.CapitalOfFormat, g.Key, c.Name)))));

    private static string Format(string format, string a, string b) => string.Format(CultureInfo.InvariantCulture, format, a, b);

    private static string Slug(string name) => NameSlug.Of(name);
}
