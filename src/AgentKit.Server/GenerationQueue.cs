namespace AgentKit.Server;

/// <summary>
/// Lets at most a fixed number of generations run at once; the rest wait in arrival order
/// (<see cref="SemaphoreSlim"/> releases waiters first-in first-out in practice, not by contract).
/// Never disposed: a request still finishing after shutdown must be able to release its slot.
/// </summary>
internal sealed class GenerationQueue(int concurrency)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    /// <summary>A held slot.</summary>
    internal sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
