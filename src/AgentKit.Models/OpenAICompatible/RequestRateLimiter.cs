namespace AgentKit.Models.OpenAICompatible;

/// <summary>
/// Spaces request starts evenly at most <c>requestsPerMinute</c> apart (no bursts), across all callers of one
/// generator: each caller reserves the next free start time and sleeps until it on the generator's clock.
/// </summary>
internal sealed class RequestRateLimiter(double? requestsPerMinute, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _interval = requestsPerMinute is { } rpm ? TimeSpan.FromMinutes(1 / rpm) : TimeSpan.Zero;
    private DateTimeOffset _nextStart = DateTimeOffset.MinValue;

    /// <summary>Waits for this request's turn; returns at once when there is no limit.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
            return Task.CompletedTask;
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var start = now > _nextStart ? now : _nextStart;
            _nextStart = start + _interval;
            wait = start - now;
        }
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }
}
