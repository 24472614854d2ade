using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Pool;

/// <summary>Exclusive use of one slot's worker until disposed.</summary>
internal sealed class WorkerLease : IDisposable
{
    private int _released;

    public WorkerLease(WorkerSlot slot, WorkerProcess worker, int generation)
    {
        Slot = slot;
        Worker = worker;
        Generation = generation;
    }

    /// <summary>The slot held.</summary>
    public WorkerSlot Slot { get; }

    /// <summary>The worker process of the slot when the lease was taken.</summary>
    public WorkerProcess Worker { get; private set; }

    /// <summary>The slot generation of <see cref="Worker"/>; contexts of another generation are gone.</summary>
    public int Generation { get; private set; }

    /// <summary>True while the leased worker is still the slot's worker (it was not lost during the lease).</summary>
    public bool WorkerAlive => Slot.Generation == Generation;

    /// <summary>Sends a request; a lost worker (timeout, crash) or one asking to be recycled is replaced before this returns.</summary>
    public async Task<WorkerReply> SendAsync(WorkerRequest request, ToolCallHandler? tools, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!WorkerAlive) throw new InvalidOperationException("The leased worker was replaced; take a new lease.");
        try
        {
            var reply = await Worker.SendAsync(request, tools, timeout, cancellationToken).ConfigureAwait(false);
            if (reply.Recycle) Slot.Replace(Worker, $"recycled after {reply.Status}");
            return reply;
        }
        catch (WorkerLostException ex)
        {
            Slot.Replace(Worker, ex.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            Slot.Replace(Worker, "the caller cancelled a running snippet");
            throw;
        }
    }

    internal void Rebind(WorkerProcess worker, int generation)
    {
        Worker = worker;
        Generation = generation;
    }

    /// <summary>Returns the slot to the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) Slot.Release();
    }
}
