namespace AgentKit.Abstractions.Trajectories;

/// <summary>Version of the trajectory record layout, written into every record.</summary>
public static class TrajectorySchema
{
    /// <summary>
    /// The current layout. Bump it when a field changes meaning or is removed; adding optional fields
    /// keeps the version (readers ignore what they do not know).
    /// </summary>
    public const int Version = 1;
}
