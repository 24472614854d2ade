using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Pool;

/// <summary>The worker process is gone: killed for a timeout or memory, or died by itself. Its state is lost.</summary>
internal sealed class WorkerLostException(ExecutionStatus status, string message) : Exception(message)
{
    /// <summary>How to report the snippet that was running: timeout, memory_limit or crashed.</summary>
    public ExecutionStatus Status { get; } = status;
}
