namespace AgentKit.Models.OpenAICompatible;

/// <summary>
/// Where and how <see cref="OpenAICompatibleGenerator"/> reaches an OpenAI-compatible server
/// (llama.cpp server, vLLM, Ollama, <c>agentkit serve</c>, OpenAI itself).
/// Checked by <see cref="Validate"/>, which the generator calls on construction.
/// </summary>
public sealed record OpenAICompatibleOptions
{
    /// <summary>
    /// Base URL of the API, up to and including the version segment, e.g. <c>http://127.0.0.1:8080/v1</c>.
    /// Requests go to <c>{Endpoint}/chat/completions</c>. Must be an absolute http or https URL.
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Model name sent in every request (servers that host one model usually ignore it).</summary>
    public required string Model { get; init; }

    /// <summary>Bearer token sent as <c>Authorization</c>; null sends none (local servers need none).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Limit for one HTTP request, including reading a streamed response to its end (default 5 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most HTTP requests in flight at once from this generator (default 4). Matters when the server
    /// ignores <c>n</c> and the remaining candidates are fetched with one request each.
    /// </summary>
    public int MaxParallelRequests { get; init; } = 4;

    /// <summary>Retries of failed requests and a request rate limit (default: neither).</summary>
    public EndpointRetryOptions Retry { get; init; } = EndpointRetryOptions.None;

    /// <summary>Clock for <c>Elapsed</c>, timeouts, retry waits and the rate limit (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> with an explanation when a setting is unusable.</summary>
    public OpenAICompatibleOptions Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"Endpoint must be an absolute http or https URL such as http://127.0.0.1:8080/v1, got '{Endpoint}'.", nameof(Endpoint));
        if (!string.IsNullOrEmpty(Endpoint.Query) || !string.IsNullOrEmpty(Endpoint.Fragment))
            throw new ArgumentException($"Endpoint must be a base URL without query or fragment, got '{Endpoint}'.", nameof(Endpoint));
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException("Model must name the model to request (any non-empty name for single-model servers).", nameof(Model));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"Timeout must be positive (or infinite), got {Timeout}.", nameof(Timeout));
        if (MaxParallelRequests is < 1 or > 64)
            throw new ArgumentException($"MaxParallelRequests must be between 1 and 64, got {MaxParallelRequests}.", nameof(MaxParallelRequests));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
        return this;
    }

    /// <summary>The <c>chat/completions</c> URL under <see cref="Endpoint"/>.</summary>
    internal Uri ChatCompletionsUri => new(Endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions");
}
