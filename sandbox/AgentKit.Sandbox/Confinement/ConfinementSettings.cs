namespace AgentKit.Sandbox.Confinement;

/// <summary>What a confined worker may use, from <see cref="SandboxOptions"/>.</summary>
/// <param name="UserId">The unprivileged user id workers run as when the host is root.</param>
/// <param name="GroupId">Its group id.</param>
/// <param name="MaxProcesses">RLIMIT_NPROC: processes and threads of that user (a fork bomb stops here).</param>
/// <param name="MaxOpenFiles">RLIMIT_NOFILE.</param>
/// <param name="MaxFileBytes">RLIMIT_FSIZE, and the size of the scratch tmpfs.</param>
/// <param name="MaxAddressSpaceBytes">RLIMIT_AS: bounds native memory, which the managed heap limit does not see.</param>
/// <param name="ReadOnlyPaths">Folders the worker needs to read (the runtime, the worker's own files), bound read-only.</param>
internal sealed record ConfinementSettings(int UserId, int GroupId, int MaxProcesses, int MaxOpenFiles, long MaxFileBytes, long MaxAddressSpaceBytes, IReadOnlyList<string> ReadOnlyPaths)
{
}
