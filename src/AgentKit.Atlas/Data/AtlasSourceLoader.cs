using System.Globalization;
using System.Text.Json;

namespace AgentKit.Atlas.Data;

/// <summary>
/// Reads the <c>country-json</c> files of a source folder (see <see cref="SourceFiles"/>) into cleaned
/// <see cref="CountryFacts"/>, joined by country name. Deterministic: the same folder gives the same facts.
/// </summary>
public static class AtlasSourceLoader
{
    /// <summary>Loads every country named in <c>country-by-name.json</c>, sorted by name (ordinal).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A source file is missing.</exception>
    /// <exception cref="InvalidDataException">A source file is not the expected JSON.</exception>
    public static AtlasData Load(string sourceFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceFolder);
        if (!Directory.Exists(sourceFolder))
            throw new DirectoryNotFoundException($"Atlas source folder not found: {sourceFolder} (expected the country-json files, see agents/atlas/data/source).");
        foreach (var file in SourceFiles.All)
        {
            if (!File.Exists(Path.Combine(sourceFolder, file)))
                throw new FileNotFoundException($"Atlas source file missing: {file} in {sourceFolder}.", Path.Combine(sourceFolder, file));
        }

        var names = ReadEntries(sourceFolder, SourceFiles.Names).Select(e => e.Country).Distinct(StringComparer.Ordinal).ToList();
        var values = SourceFiles.Attributes.ToDictionary(a => a.Property, a => ReadValues(sourceFolder, a.File, a.Property, names));

        JsonElement? Get(string property, string country) =>
            values[property].TryGetValue(country, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

        var countries = names.Order(StringComparer.Ordinal).Select(name => new CountryFacts
        {
            Name = name,
            Code = SourceCleaning.Text(AsString(Get("abbreviation", name))),
            Capital = SourceCleaning.CleanCapital(AsString(Get("city", name))),
            Continent = SourceCleaning.Text(AsString(Get("continent", name))),
            Region = SourceCleaning.Text(AsString(Get("location", name))),
            Population = AsLong(Get("population", name)),
            AreaKm2 = AsPositiveDouble(Get("area", name)),
            CurrencyName = SourceCleaning.Text(AsString(Get("currency_name", name))),
            CurrencyCode = SourceCleaning.Text(AsString(Get("currency_code", name))),
            Languages = AsStrings(Get("languages", name)).Where(SourceCleaning.IsCleanLanguage).Select(l => l.Trim()).Distinct().ToList(),
            IndependenceYear = AsLong(Get("independence", name)) is { } year and not 0 ? (int)year : null,
            Government = SourceCleaning.Text(AsString(Get("government", name))),
            Landlocked = AsString(Get("landlocked", name)) switch { "1" => true, "0" => false, _ => null },
            CallingCode = AsLong(Get("calling_code", name)) is { } code and > 0 ? (int)code : null,
            Tld = SourceCleaning.Text(AsString(Get("tld", name))),
            Religion = SourceCleaning.Text(AsString(Get("religion", name))),
            NationalDishes = (AsString(Get("dish", name)) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            LifeExpectancy = AsPositiveDouble(Get("expectancy", name)),
            AverageTemperature = AsDouble(Get("temperature", name)),
            Cities = Cities(Get("cities", name)),
        }).ToList();
        return new AtlasData(countries);
    }

    private sealed record Entry(string Country, JsonElement Element);

    private static List<Entry> ReadEntries(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{file}: expected a JSON array of {{\"country\": …}} objects.");
            var entries = new List<Entry>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("country", out var c) && c.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(c.GetString()))
                    entries.Add(new Entry(c.GetString()!.Trim(), item.Clone()));
            }
            return entries;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: invalid JSON ({ex.Message}).", ex);
        }
    }

    /// <summary>Value per canonical country name; an exact name wins over an alias, the first entry over later ones.</summary>
    private static Dictionary<string, JsonElement> ReadValues(string folder, string file, string property, IReadOnlyList<string> names)
    {
        var known = names.ToHashSet(StringComparer.Ordinal);
        var exact = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var aliased = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in ReadEntries(folder, file))
        {
            var value = ValueOf(entry.Element, property);
            if (known.Contains(entry.Country))
                exact.TryAdd(entry.Country, value);
            else if (CountryNameAliases.Canonical(entry.Country) is var canonical && known.Contains(canonical))
                aliased.TryAdd(canonical, value);
        }
        foreach (var (name, value) in aliased)
            exact.TryAdd(name, value);
        return exact;
    }

    private static JsonElement ValueOf(JsonElement entry, string property)
    {
        if (entry.TryGetProperty(property, out var value))
            return value;
        // The United States lists its cities per state ({"states": {"New York": [...], ...}}).
        if (property == "cities" && entry.TryGetProperty("states", out var states) && states.ValueKind == JsonValueKind.Object)
        {
            var all = states.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.Array)
                .SelectMany(s => s.Value.EnumerateArray()).Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString());
            return JsonSerializer.SerializeToElement(all);
        }
        return default;
    }

    private static IReadOnlyList<string> Cities(JsonElement? element)
    {
        // "Baie-Mahault" and "Baie Mahault" are one city: keep the first spelling.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return AsStrings(element).Select(c => c.Trim()).Where(SourceCleaning.IsCleanCity).Where(c => seen.Add(NameSlug.Of(c))).ToList();
    }

    private static string? AsString(JsonElement? e) => e switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    private static IEnumerable<string> AsStrings(JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
            : [];

    private static double? AsDouble(JsonElement? e) =>
        AsString(e) is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    private static double? AsPositiveDouble(JsonElement? e) => AsDouble(e) is { } d and > 0 ? d : null;

    private static long? AsLong(JsonElement? e) =>
        AsDouble(e) is { } d && d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (long)d : null;
}
