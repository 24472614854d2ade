using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Atlas.Tests.Support;

/// <summary>Keeps the trajectories written to it, for tests that inspect what a run recorded.</summary>
internal sealed class MemorySink : ITrajectorySink
{
    private readonly List<TrajectoryRecord> _records = [];

    public IReadOnlyList<TrajectoryRecord> Records
    {
        get { lock (_records) return [.. _records]; }
    }

    public ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
    {
        lock (_records) _records.Add(record);
        return ValueTask.CompletedTask;
    }
}
