namespace AgentKit.Sandbox;

/// <summary>A snapshot of one pooled worker process, for monitoring and benchmarks.</summary>
/// <param name="Slot">Position in the pool.</param>
/// <param name="ProcessId">Operating-system process id.</param>
/// <param name="Generation">How many times this slot's worker was replaced (timeouts, crashes, memory limit).</param>
/// <param name="SnippetsRun">Snippets the current process ran, its warm-up included.</param>
/// <param name="ResidentBytes">Resident memory of the process, when it could be read.</param>
public sealed record SandboxWorkerInfo(int Slot, int ProcessId, int Generation, int SnippetsRun, long? ResidentBytes);
