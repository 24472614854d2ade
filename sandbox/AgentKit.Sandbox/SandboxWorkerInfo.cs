namespace AgentKit.Sandbox;

/// <summary>A snapshot of one live worker process (idle or serving a run), for monitoring and benchmarks.</summary>
/// <param name="ProcessId">Operating-system id of the process that runs snippets (inside its confinement, if any), as the host sees it.</param>
/// <param name="StartedAt">When it was started.</param>
/// <param name="SnippetsRun">Snippets it ran, its warm-up included.</param>
/// <param name="ResidentBytes">Resident memory of the process, when it could be read.</param>
public sealed record SandboxWorkerInfo(int ProcessId, DateTimeOffset StartedAt, int SnippetsRun, long? ResidentBytes);
