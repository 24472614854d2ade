using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>Turns a worker's result message into the public <see cref="ExecutionResult"/>.</summary>
internal static class ResultMapper
{
    public static ExecutionResult ToResult(WorkerReply reply, double elapsedMs) => new()
    {
        Status = ToStatus(reply.Status),
        Output = reply.Output ?? "",
        ReturnValue = reply.ReturnValue,
        Error = reply.Error,
        Line = reply.Line,
        Column = reply.Column,
        FinalAnswer = reply.FinalAnswer,
        ElapsedMs = elapsedMs,
    };

    public static ExecutionStatus ToStatus(string? status) => status switch
    {
        WorkerProtocol.Statuses.Ok => ExecutionStatus.Ok,
        WorkerProtocol.Statuses.CompileError => ExecutionStatus.CompileError,
        WorkerProtocol.Statuses.PolicyViolation => ExecutionStatus.PolicyViolation,
        WorkerProtocol.Statuses.RuntimeError => ExecutionStatus.RuntimeError,
        WorkerProtocol.Statuses.MemoryLimit => ExecutionStatus.MemoryLimit,
        WorkerProtocol.Statuses.OutputTruncated => ExecutionStatus.OutputTruncated,
        _ => ExecutionStatus.Crashed,
    };

    /// <summary>Whether a snippet that ended this way is part of the state (it ran, fully or until it threw).</summary>
    public static bool ChangesState(ExecutionStatus status) =>
        status is ExecutionStatus.Ok or ExecutionStatus.OutputTruncated or ExecutionStatus.RuntimeError;
}
