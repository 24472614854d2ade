using System.Net;

namespace AgentKit.Models.OpenAICompatible;

/// <summary>Runs one endpoint request with the retries, back-off and rate limit of <see cref="EndpointRetryOptions"/>.</summary>
internal sealed class EndpointRetry
{
    /// <summary>Key in <see cref="Exception.Data"/> of the wait a 429/503 answer asked for with <c>Retry-After</c>.</summary>
    public const string RetryAfterKey = "AgentKit.RetryAfter";

    private readonly EndpointRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly RequestRateLimiter _limiter;

    public EndpointRetry(EndpointRetryOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _limiter = new RequestRateLimiter(options.RequestsPerMinute, time);
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the retries are spent (the last error surfaces).</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (retry < _options.MaxRetries && !cancellationToken.IsCancellationRequested && IsTransient(ex))
            {
                await Task.Delay(DelayBefore(retry, ex), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>429, 5xx, a timeout, or a connection that failed before an answer: worth another try.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        HttpRequestException { StatusCode: { } status } => status == HttpStatusCode.TooManyRequests || (int)status >= 500,
        HttpRequestException => true,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>The server's <c>Retry-After</c>, else exponential back-off with jitter; capped at the longest delay.</summary>
    public TimeSpan DelayBefore(int retry, Exception ex)
    {
        var delay = ex.Data[RetryAfterKey] is TimeSpan asked
            ? asked
            : _options.BaseDelay * Math.Pow(2, retry) * (0.5 + Random.Shared.NextDouble() / 2);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _options.MaxDelay ? _options.MaxDelay : delay;
    }

    /// <summary>The wait a response's <c>Retry-After</c> header asks for (seconds or a date), or null.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };
}
