namespace AgentKit.Models.OpenAICompatible;

/// <summary>
/// How <see cref="OpenAICompatibleGenerator"/> rides out a busy or flaky endpoint: which failures it retries, how long
/// it waits between attempts, and how many requests per minute it sends at most. The default retries nothing and
/// limits nothing, so a failure surfaces at once. Checked by <see cref="Validate"/>.
/// </summary>
/// <remarks>
/// Retried: 429 and 5xx answers, a request that timed out (<see cref="OpenAICompatibleOptions.Timeout"/> applies to each
/// attempt), and a connection that could not be made or broke before the answer began. A stream that broke after its
/// first delta is not retried (its deltas were already handed out). The wait before retry <c>k</c> (0-based) is the
/// server's <c>Retry-After</c> when it sends one, else <see cref="BaseDelay"/>·2^k scaled by a random factor in
/// [0.5, 1] (jitter, so parallel clients do not retry in lockstep); both are capped at <see cref="MaxDelay"/>.
/// </remarks>
public sealed record EndpointRetryOptions
{
    /// <summary>No retries and no rate limit.</summary>
    public static EndpointRetryOptions None { get; } = new();

    /// <summary>Retries after the first attempt (0-20, default 0).</summary>
    public int MaxRetries { get; init; }

    /// <summary>Wait before the first retry, doubled for each further one (default 1 s).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts, <c>Retry-After</c> included (default 60 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most requests started per minute, retries included, spaced evenly (null: no limit).</summary>
    public double? RequestsPerMinute { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unusable setting; returns this otherwise.</summary>
    public EndpointRetryOptions Validate()
    {
        if (MaxRetries is < 0 or > 20)
            throw new ArgumentException($"max retries must be between 0 and 20, got {MaxRetries}.", nameof(MaxRetries));
        if (BaseDelay < TimeSpan.Zero)
            throw new ArgumentException($"the base retry delay must not be negative, got {BaseDelay}.", nameof(BaseDelay));
        if (MaxDelay < BaseDelay)
            throw new ArgumentException($"the longest retry delay ({MaxDelay}) must not be shorter than the base delay ({BaseDelay}).", nameof(MaxDelay));
        if (RequestsPerMinute is { } rpm && (double.IsNaN(rpm) || rpm <= 0 || rpm > 1_000_000))
            throw new ArgumentException($"requests per minute must be positive (at most 1,000,000), got {rpm}.", nameof(RequestsPerMinute));
        return this;
    }
}
