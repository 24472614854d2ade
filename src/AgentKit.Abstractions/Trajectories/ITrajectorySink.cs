namespace AgentKit.Abstractions.Trajectories;

/// <summary>Receives each finished run (answered, out of steps, failed or cancelled). Implementations must not lose a run they accepted.</summary>
public interface ITrajectorySink
{
    /// <summary>Stores one run. Returns once the record is durable.</summary>
    ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default);
}
