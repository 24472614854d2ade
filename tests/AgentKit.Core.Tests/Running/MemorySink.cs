using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Tests.Running;

/// <summary>Keeps the records in a list (the sink is the test's window onto what was recorded).</summary>
internal sealed class MemorySink : ITrajectorySink
{
    public List<TrajectoryRecord> Records { get; } = [];

    public ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
    {
        lock (Records)
            Records.Add(record);
        return ValueTask.CompletedTask;
    }
}
