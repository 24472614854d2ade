namespace AgentKit.Server.Tests.Fakes;

/// <summary>
/// A clock that moves only when the test says so: timers (Task.Delay, timeouts) fire on <see cref="Advance"/>,
/// so waits of seconds cost no real time and the test can read what was waited for.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
            return _now;
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How long from now each pending timer has left, soonest first.</summary>
    public IReadOnlyList<TimeSpan> Pending()
    {
        lock (_lock)
            return [.. _timers.Select(t => t.DueAt - _now).Order()];
    }

    /// <summary>Waits (in real time, at most 10 s) until at least <paramref name="count"/> timers are pending.</summary>
    public async Task<IReadOnlyList<TimeSpan>> WaitForPendingAsync(int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Pending().Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"expected {count} pending timer(s), have {Pending().Count}.");
            await Task.Delay(5);
        }
        return Pending();
    }

    /// <summary>Moves the clock on and fires the timers that came due.</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
            foreach (var timer in due)
                _timers.Remove(timer);
        }
        foreach (var timer in due)
            timer.Fire();
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan)
                _timers.Add(timer.At(_now + dueTime));
        }
    }

    private void Cancel(ManualTimer timer)
    {
        lock (_lock)
            _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; private set; }

        public ManualTimer At(DateTimeOffset dueAt)
        {
            DueAt = dueAt;
            return this;
        }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // One-shot timers are all the code under test uses.
            clock.Schedule(this, dueTime);
            return true;
        }

        public void Dispose() => clock.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
