using Microsoft.Extensions.Logging;

namespace AgentKit.Sandbox.Logging;

/// <summary>Source-generated log messages of the sandbox host.</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sandbox worker {ProcessId} ready in {ElapsedMs:F0} ms ({Confinement})")]
    public static partial void WorkerReady(ILogger logger, int processId, double elapsedMs, string confinement);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Sandbox worker {ProcessId} retired: {Reason}")]
    public static partial void WorkerRetired(ILogger logger, int processId, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "A sandbox worker failed to start")]
    public static partial void WorkerStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Network namespaces are unavailable here (needs root or unprivileged user namespaces): sandbox workers share the host's network; only the compile-time policy keeps snippets off it")]
    public static partial void NetworkIsolationUnavailable(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Sandbox workers run without OS confinement ({Reason}): they have the host user's file access; see sandbox/README.md")]
    public static partial void ConfinementUnavailable(ILogger logger, string reason);
}
