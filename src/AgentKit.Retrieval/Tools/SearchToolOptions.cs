namespace AgentKit.Retrieval.Tools;

/// <summary>How the <see cref="SearchTool"/> answers agents. Validated when the tool is created.</summary>
public sealed record SearchToolOptions
{
    /// <summary>Passages returned when the agent omits <c>k</c> (default 3).</summary>
    public int DefaultK { get; init; } = 3;

    /// <summary>Most passages one call returns (default 10); a larger <c>k</c> is cut to this to keep observations short.</summary>
    public int MaxK { get; init; } = 10;

    /// <summary>Passage texts longer than this many characters are cut, with "…" appended (default 2000; at least 16).</summary>
    public int MaxTextChars { get; init; } = 2000;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public SearchToolOptions Validate()
    {
        if (MaxK < 1)
            throw new ArgumentException($"MaxK must be at least 1, got {MaxK}.");
        if (DefaultK < 1 || DefaultK > MaxK)
            throw new ArgumentException($"DefaultK must be between 1 and MaxK ({MaxK}), got {DefaultK}.");
        if (MaxTextChars < 16)
            throw new ArgumentException($"MaxTextChars must be at least 16, got {MaxTextChars}.");
        return this;
    }
}
