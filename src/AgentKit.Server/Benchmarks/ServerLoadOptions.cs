namespace AgentKit.Server.Benchmarks;

/// <summary>What <see cref="ServerLoadBenchmark"/> sends: how many clients, for how long, asking for what. Checked by <see cref="Validate"/>.</summary>
public sealed record ServerLoadOptions
{
    /// <summary>Clients sending requests back to back, each waiting for its answer before the next (default 20).</summary>
    public int Clients { get; init; } = 20;

    /// <summary>How long requests are started (default one minute); requests in flight at the end are waited for and counted.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>max_completion_tokens</c> of every request (default 16).</summary>
    public int MaxTokens { get; init; } = 16;

    /// <summary>The user message of every request.</summary>
    public string Prompt { get; init; } = "Write one sentence about the sea.";

    /// <summary>Clock for latencies and the duration (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first unusable setting.</summary>
    public ServerLoadOptions Validate()
    {
        if (Clients is < 1 or > 1024)
            throw new ArgumentException($"Clients must be between 1 and 1024, got {Clients}.", nameof(Clients));
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(24))
            throw new ArgumentException($"Duration must be positive and at most 24 hours, got {Duration}.", nameof(Duration));
        if (MaxTokens < 1)
            throw new ArgumentException($"MaxTokens must be at least 1, got {MaxTokens}.", nameof(MaxTokens));
        if (string.IsNullOrEmpty(Prompt))
            throw new ArgumentException("Prompt must not be empty.", nameof(Prompt));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        return this;
    }
}

/// <summary>The figures of one load run.</summary>
/// <param name="Clients">Concurrent clients.</param>
/// <param name="DurationSeconds">Wall time from the first request to the last answer.</param>
/// <param name="Requests">Requests answered, successfully or not.</param>
/// <param name="Errors">Requests that failed (an HTTP error, a broken connection, an unusable answer).</param>
/// <param name="RequestsPerSecond">Successful requests per second of <paramref name="DurationSeconds"/>.</param>
/// <param name="P50Ms">Median latency of successful requests, in milliseconds.</param>
/// <param name="P99Ms">99th percentile latency of successful requests (nearest rank), in milliseconds.</param>
/// <param name="MaxMs">Slowest successful request, in milliseconds.</param>
/// <param name="CompletionTokens">Tokens generated over all successful requests (from their usage figures).</param>
/// <param name="TokensPerSecond">Generated tokens per second.</param>
/// <param name="FirstErrors">The first few error messages, to say what went wrong.</param>
public sealed record ServerLoadReport(
    int Clients, double DurationSeconds, int Requests, int Errors, double RequestsPerSecond, double P50Ms, double P99Ms, double MaxMs,
    long CompletionTokens, double TokensPerSecond, IReadOnlyList<string> FirstErrors);
