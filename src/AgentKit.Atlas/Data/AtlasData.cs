namespace AgentKit.Atlas.Data;

/// <summary>
/// All countries of the atlas with the cross-country lookups the corpus and the questions need: which
/// names are ambiguous (a capital of two countries, a city name found in two countries), and the
/// deterministic choice of cities that get their own passage.
/// </summary>
public sealed class AtlasData
{
    private readonly Dictionary<string, CountryFacts> _byName;
    private readonly HashSet<string> _namesIgnoringCase;
    private readonly Dictionary<string, List<string>> _capitalOwners;
    private readonly Dictionary<string, List<string>> _cityOwners;

    /// <summary>Wraps <paramref name="countries"/> (names must be unique).</summary>
    /// <exception cref="ArgumentException">Two countries share a name.</exception>
    public AtlasData(IReadOnlyList<CountryFacts> countries)
    {
        ArgumentNullException.ThrowIfNull(countries);
        Countries = countries;
        _byName = new Dictionary<string, CountryFacts>(StringComparer.Ordinal);
        foreach (var country in countries)
        {
            if (!_byName.TryAdd(country.Name, country))
                throw new ArgumentException($"Country \"{country.Name}\" appears twice.", nameof(countries));
        }
        _namesIgnoringCase = new HashSet<string>(_byName.Keys, StringComparer.OrdinalIgnoreCase);
        _capitalOwners = Owners(countries.Where(c => c.Capital is not null).Select(c => (c.Capital!, c.Name)));
        _cityOwners = Owners(countries.SelectMany(c => c.Cities.Select(city => (city, c.Name))));
    }

    /// <summary>The countries, in the order given (the loader sorts them by name).</summary>
    public IReadOnlyList<CountryFacts> Countries { get; }

    /// <summary>The country named <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public CountryFacts? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Whether some country is called <paramref name="name"/> (case-insensitive).</summary>
    public bool IsCountryName(string name) => _namesIgnoringCase.Contains(name);

    /// <summary>Countries whose capital is <paramref name="capital"/> (case-insensitive).</summary>
    public IReadOnlyList<string> CapitalOwners(string capital) => _capitalOwners.TryGetValue(capital, out var o) ? o : [];

    /// <summary>Countries whose city list holds <paramref name="city"/> (case-insensitive).</summary>
    public IReadOnlyList<string> CityOwners(string city) => _cityOwners.TryGetValue(city, out var o) ? o : [];

    /// <summary>
    /// The cities of <paramref name="country"/> that get a passage of their own: names found in exactly one
    /// country and used by no country or capital, so a city title names one place. Up to
    /// <paramref name="maxPerCountry"/>, picked by a fixed hash of the name (deterministic, spread over the alphabet).
    /// </summary>
    public IReadOnlyList<string> PassageCities(CountryFacts country, int maxPerCountry)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerCountry);
        return country.Cities
            .Where(city => CityOwners(city).Count == 1 && !IsCountryName(city) && CapitalOwners(city).Count == 0)
            .OrderBy(StableHash.Of).ThenBy(c => c, StringComparer.Ordinal)
            .Take(maxPerCountry)
            .ToList();
    }

    private static Dictionary<string, List<string>> Owners(IEnumerable<(string Key, string Country)> pairs)
    {
        var owners = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, country) in pairs)
        {
            if (!owners.TryGetValue(key, out var list))
                owners[key] = list = [];
            if (!list.Contains(country))
                list.Add(country);
        }
        return owners;
    }
}
