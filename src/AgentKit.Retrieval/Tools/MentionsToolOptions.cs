namespace AgentKit.Retrieval.Tools;

/// <summary>How the <see cref="MentionsTool"/> answers agents. Validated when the tool is created.</summary>
public sealed record MentionsToolOptions
{
    /// <summary>Most passages one call returns (default 10); later mentions are dropped to keep observations short.</summary>
    public int MaxResults { get; init; } = 10;

    /// <summary>Passage texts longer than this many characters are cut, with "…" appended (default 2000; at least 16).</summary>
    public int MaxTextChars { get; init; } = 2000;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public MentionsToolOptions Validate()
    {
        if (MaxResults < 1)
            throw new ArgumentException($"MaxResults must be at least 1, got {MaxResults}.");
        if (MaxTextChars < 16)
            throw new ArgumentException($"MaxTextChars must be at least 16, got {MaxTextChars}.");
        return this;
    }
}
