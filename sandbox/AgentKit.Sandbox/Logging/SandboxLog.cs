using Microsoft.Extensions.Logging;

namespace AgentKit.Sandbox.Logging;

/// <summary>Source-generated log messages of the sandbox host.</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sandbox worker {ProcessId} ready in {ElapsedMs:F0} ms (network isolated: {NetworkIsolated})")]
    public static partial void WorkerReady(ILogger logger, int processId, double elapsedMs, bool networkIsolated);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Replacing sandbox worker {ProcessId}: {Reason}")]
    public static partial void WorkerReplaced(ILogger logger, int processId, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "A sandbox worker failed to start")]
    public static partial void WorkerStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Network namespaces are unavailable here (needs root or unprivileged user namespaces): sandbox workers share the host's network; only the compile-time policy keeps snippets off it")]
    public static partial void NetworkIsolationUnavailable(ILogger logger);
}
