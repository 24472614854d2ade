using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentKit.Server;

/// <summary>
/// How <see cref="OpenAICompatibleServer"/> listens and what it serves. Checked by <see cref="Validate"/>,
/// which the server calls on construction.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>IP address to listen on, or <c>localhost</c> (default <c>127.0.0.1</c>: this machine only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port (default 8080); 0 picks a free port, reported by <see cref="OpenAICompatibleServer.StartAsync"/>.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Model name listed by <c>/v1/models</c> and echoed in responses; null uses the generator's model name.</summary>
    public string? ModelName { get; init; }

    /// <summary>
    /// Generations run at once (default 1). Further requests wait in a first-come queue instead of being
    /// rejected: one local model gains nothing from concurrent calls, and most backends are not re-entrant.
    /// </summary>
    public int MaxConcurrentGenerations { get; init; } = 1;

    /// <summary><c>max_tokens</c> used when a request sets neither <c>max_tokens</c> nor <c>max_completion_tokens</c> (default 256).</summary>
    public int DefaultMaxTokens { get; init; } = 256;

    /// <summary>
    /// Largest request body accepted, in bytes (default 1 MiB, about 250,000 tokens of text). A larger declared
    /// <c>Content-Length</c> is refused with 413 before anything is read, and a chunked body is cut off with 413 as
    /// soon as it passes the limit, so an oversized request is never parsed or tokenised.
    /// </summary>
    public int MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most messages in one chat completion request (default 1024); more is a 400.</summary>
    public int MaxMessages { get; init; } = 1024;

    /// <summary>Most stop sequences in one request (default 16; OpenAI allows 4); more is a 400. Each is checked after every token.</summary>
    public int MaxStopSequences { get; init; } = 16;

    /// <summary>Clock for the <c>created</c> timestamps and request durations (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives one log line per request (default: none).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Throws <see cref="ArgumentException"/> with an explanation when a setting is unusable.</summary>
    public ServerOptions Validate()
    {
        _ = ListenAddress;
        if (Port is < 0 or > 65535)
            throw new ArgumentException($"Port must be between 0 and 65535 (0 picks a free port), got {Port}.", nameof(Port));
        if (ModelName is not null && string.IsNullOrWhiteSpace(ModelName))
            throw new ArgumentException("ModelName must not be blank; leave it null to use the generator's model name.", nameof(ModelName));
        if (MaxConcurrentGenerations is < 1 or > 256)
            throw new ArgumentException($"MaxConcurrentGenerations must be between 1 and 256, got {MaxConcurrentGenerations}.", nameof(MaxConcurrentGenerations));
        if (DefaultMaxTokens < 1)
            throw new ArgumentException($"DefaultMaxTokens must be >= 1, got {DefaultMaxTokens}.", nameof(DefaultMaxTokens));
        if (MaxRequestBodyBytes is < 1024 or > 1 << 30)
            throw new ArgumentException($"MaxRequestBodyBytes must be between 1024 and 1073741824 (1 GiB), got {MaxRequestBodyBytes}.", nameof(MaxRequestBodyBytes));
        if (MaxMessages is < 1 or > 1_000_000)
            throw new ArgumentException($"MaxMessages must be between 1 and 1000000, got {MaxMessages}.", nameof(MaxMessages));
        if (MaxStopSequences is < 0 or > 1024)
            throw new ArgumentException($"MaxStopSequences must be between 0 and 1024, got {MaxStopSequences}.", nameof(MaxStopSequences));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        return this;
    }

    /// <summary><see cref="Host"/> as an address; names other than <c>localhost</c> are refused so the bind is explicit.</summary>
    internal IPAddress ListenAddress =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(Host, out var address) ? address
        : throw new ArgumentException($"Host must be an IP address (e.g. 127.0.0.1, 0.0.0.0) or 'localhost', got '{Host}'.", nameof(Host));
}
