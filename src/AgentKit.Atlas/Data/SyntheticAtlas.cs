namespace AgentKit.Atlas.Data;

/// <summary>
/// An invented atlas for training only: countries, capitals and cities with made-up names whose facts are
/// drawn from the real countries' values. A student trained on the real atlas alone meets its ~200 training
/// countries so often that their names steer its choice of action, and unseen names on held-out questions throw
/// it off. Trajectories over many invented names (run for real against an index of this corpus, so every
/// observation is genuine) teach it to act on the question's wording and leave names to the code. Names are checked
/// against every word of the real atlas, so no invented place shadows a real one. Deterministic for a seed.
/// </summary>
public static class SyntheticAtlas
{
    private static readonly string[] s_onsets = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "y", "z"];
    private static readonly string[] s_vowels = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei", "ou", "ia", "ua"];
    private static readonly string[] s_codas = ["", "", "", "n", "r", "l", "s", "m", "t", "k"];
    private static readonly string[] s_countryEndings = ["", "", "ia", "land", "stan", "ana", "ora", "ica", "ea", "ar"];
    private static readonly string[] s_cityEndings = ["", "", "", "ville", "burg", "polis", "grad", "ton", "abad", "port", "haven"];
    private static readonly string[] s_countryPrefixes = ["North ", "South ", "East ", "West ", "New ", "Saint ", "Upper ", "Great "];
    private static readonly string[] s_countrySuffixes = [" Islands", " Republic"];
    private static readonly string[] s_currencyUnits = ["Dollar", "Franc", "Peso", "Dinar", "Krona", "Rupee", "Pound", "Shilling", "Mark", "Crown", "Real", "Lira"];

    /// <summary>Invents <paramref name="countries"/> countries, each with a capital and several cities.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="countries"/> is not between 1 and 5,000.</exception>
    public static AtlasData Generate(AtlasData real, int countries, int seed)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentOutOfRangeException.ThrowIfLessThan(countries, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(countries, 5_000);
        var random = new Random(seed);
        var taken = RealWords(real);
        var templates = real.Countries.Where(c => c.Population is > 0 && c.AreaKm2 is > 0 && c.Continent is not null && c.Government is not null).ToList();
        var years = real.Countries.Where(c => c.IndependenceYear is > 0).Select(c => c.IndependenceYear!.Value).ToList();
        var invented = new List<CountryFacts>(countries);
        while (invented.Count < countries)
        {
            var root = Word(random, taken, 2 + random.Next(2));
            var name = Capitalize(root + Pick(random, s_countryEndings));
            if (random.Next(7) == 0)
                name = Pick(random, s_countryPrefixes) + name;
            else if (random.Next(12) == 0)
                name += Pick(random, s_countrySuffixes);
            if (!taken.Add(name.ToLowerInvariant()))
                continue;
            var template = templates[random.Next(templates.Count)];
            var cities = Enumerable.Range(0, 5 + random.Next(8)).Select(_ => City(random, taken)).ToList();
            invented.Add(new CountryFacts
            {
                Name = name,
                Capital = City(random, taken),
                Continent = template.Continent,
                Region = template.Region,
                Population = (long)Math.Round(template.Population!.Value * (0.5 + random.NextDouble())),
                AreaKm2 = Math.Round(template.AreaKm2!.Value * (0.5 + random.NextDouble())),
                CurrencyName = $"{Capitalize(root)} {Pick(random, s_currencyUnits)}",
                CurrencyCode = new string([.. root.ToUpperInvariant().Where(char.IsAsciiLetter).Take(2), (char)('A' + random.Next(26))]),
                Languages = templates[random.Next(templates.Count)].Languages,
                IndependenceYear = years[random.Next(years.Count)],
                Government = templates[random.Next(templates.Count)].Government,
                Landlocked = random.Next(4) == 0,
                Cities = cities,
            });
        }
        return new AtlasData([.. invented.OrderBy(c => c.Name, StringComparer.Ordinal)]);
    }

    private static string City(Random random, HashSet<string> taken)
    {
        while (true)
        {
            var name = Capitalize(Word(random, taken, 1 + random.Next(3)) + Pick(random, s_cityEndings));
            if (name.Length >= 4 && taken.Add(name.ToLowerInvariant()))
                return name;
        }
    }

    private static string Word(Random random, HashSet<string> taken, int syllables)
    {
        while (true)
        {
            var word = string.Concat(Enumerable.Range(0, syllables).Select(_ => Pick(random, s_onsets) + Pick(random, s_vowels) + Pick(random, s_codas)));
            if (!taken.Contains(word))
                return word;
        }
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static HashSet<string> RealWords(AtlasData real)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in real.Countries)
        {
            foreach (var text in (IEnumerable<string?>)[c.Name, c.Capital, .. c.Cities, .. c.Languages, c.CurrencyName])
            {
                if (string.IsNullOrWhiteSpace(text))
                    continue;
                words.Add(text.ToLowerInvariant());
                foreach (var word in text.Split([' ', '-', '\''], StringSplitOptions.RemoveEmptyEntries))
                    words.Add(word.ToLowerInvariant());
            }
        }
        return words;
    }
}
