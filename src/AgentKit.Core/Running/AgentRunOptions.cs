using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Running;

/// <summary>Host-side services of an <see cref="Agent"/>. All optional.</summary>
public sealed record AgentRunOptions
{
    /// <summary>Where finished runs are recorded (default: nowhere).</summary>
    public ITrajectorySink? Sink { get; init; }

    /// <summary>Receives events synchronously as the run progresses (default: none).</summary>
    public IProgress<AgentEvent>? Progress { get; init; }

    /// <summary>Clock for timestamps and durations (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
