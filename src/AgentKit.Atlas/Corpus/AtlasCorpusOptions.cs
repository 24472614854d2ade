namespace AgentKit.Atlas.Corpus;

/// <summary>What the atlas corpus holds. Validated by <see cref="Validate"/> when a builder is created.</summary>
public sealed record AtlasCorpusOptions
{
    /// <summary>Cities per country that get a passage of their own (default 25; 0 to 10,000). Keeps the corpus small: the source lists up to 12,883 cities per country.</summary>
    public int MaxCitiesPerCountry { get; init; } = 25;

    /// <summary>Longest country passage in characters (default 1800; 400 to 10,000). The city list at its end is cut to fit, so the Search tool (2,000 characters per passage by default) never cuts a fact.</summary>
    public int MaxCountryPassageChars { get; init; } = 1800;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public AtlasCorpusOptions Validate()
    {
        if (MaxCitiesPerCountry is < 0 or > 10_000)
            throw new ArgumentException($"MaxCitiesPerCountry must be between 0 and 10000, got {MaxCitiesPerCountry}.");
        if (MaxCountryPassageChars is < 400 or > 10_000)
            throw new ArgumentException($"MaxCountryPassageChars must be between 400 and 10000, got {MaxCountryPassageChars}.");
        return this;
    }
}
