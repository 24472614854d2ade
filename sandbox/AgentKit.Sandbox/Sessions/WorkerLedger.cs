using AgentKit.Sandbox.Compilation;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// What a run's host side knows of its workers: which shared images each holds (so an image's bytes cross the pipe
/// once per worker), and the contexts and images to free there before its next request.
/// </summary>
internal sealed class WorkerLedger
{
    private readonly Dictionary<WorkerProcess, WorkerEntry> _entries = [];

    /// <summary>How <paramref name="worker"/> is to be sent <paramref name="submission"/>: by id when it holds it already.</summary>
    public ImageRef RefFor(WorkerProcess worker, CompiledSubmission submission)
    {
        lock (_entries)
        {
            var entry = Entry(worker);
            // A drop not yet sent is called off: the worker still holds the image.
            if (entry.DroppedImages.Remove(submission.Id)) entry.Images.Add(submission.Id);
            var first = !submission.IsPrivate && entry.Images.Add(submission.Id);
            return submission.ToRef(withPayload: first);
        }
    }

    /// <summary>Unloads <paramref name="context"/> before its worker's next request.</summary>
    public void ScheduleClose(ContextHandle? context)
    {
        if (context is not { IsAlive: true }) return;
        lock (_entries) Entry(context.Worker).Contexts.Add(context.Id);
    }

    /// <summary>Drops the shared image of <paramref name="submission"/> from every worker that holds it.</summary>
    public void ScheduleDrop(CompiledSubmission submission)
    {
        lock (_entries)
        {
            foreach (var entry in _entries.Values)
            {
                if (entry.Images.Remove(submission.Id)) entry.DroppedImages.Add(submission.Id);
            }
        }
    }

    /// <summary>The cleanup owed to <paramref name="worker"/>, now handed to the caller; null when there is none.</summary>
    public (long[] Contexts, long[] Images)? TakePending(WorkerProcess worker)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(worker, out var entry) || entry.Contexts.Count + entry.DroppedImages.Count == 0) return null;
            (long[] Contexts, long[] Images) pending = ([.. entry.Contexts], [.. entry.DroppedImages]);
            entry.Contexts.Clear();
            entry.DroppedImages.Clear();
            return pending;
        }
    }

    /// <summary>Forgets a worker that is gone (its contexts and images died with it).</summary>
    public void Forget(WorkerProcess worker)
    {
        lock (_entries) _entries.Remove(worker);
    }

    private WorkerEntry Entry(WorkerProcess worker)
    {
        if (!_entries.TryGetValue(worker, out var entry)) _entries[worker] = entry = new WorkerEntry();
        return entry;
    }

    private sealed class WorkerEntry
    {
        public HashSet<long> Images { get; } = [];
        public List<long> Contexts { get; } = [];
        public List<long> DroppedImages { get; } = [];
    }
}
