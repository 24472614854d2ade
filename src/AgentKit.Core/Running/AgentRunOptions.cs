using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Running;

/// <summary>Host-side services of an <see cref="Agent"/>. All optional.</summary>
public sealed record AgentRunOptions
{
    /// <summary>Where finished runs are recorded (default: nowhere).</summary>
    public ITrajectorySink? Sink { get; init; }

    /// <summary>
    /// Also send the run so far to <see cref="Sink"/> after every finished step — each plan and each action —
    /// before the finished record (default false). A process killed mid-run then keeps every step that finished.
    /// Each such record is a complete schema-1 record of the same run id, with outcome <c>cancelled</c> and the error
    /// <see cref="UnfinishedRun"/> describes; each is superseded by the next, and <see cref="Trajectories.JsonlTrajectoryReader"/>
    /// keeps only the last record of a run id. Meant for a sink that appends (<see cref="Trajectories.JsonlTrajectoryWriter"/>);
    /// a sink that counts or filters runs sees every snapshot.
    /// </summary>
    public bool RecordEachStep { get; init; }

    /// <summary>Receives events synchronously as the run progresses (default: none).</summary>
    public IProgress<AgentEvent>? Progress { get; init; }

    /// <summary>Clock for timestamps and durations (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
