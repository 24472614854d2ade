using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Scripting;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// Turns a worker's result message into the public <see cref="ExecutionResult"/>. The worker caps its texts itself,
/// but a worker is not trusted to: every text is cut again here.
/// </summary>
internal static class ResultMapper
{
    public static ExecutionResult ToResult(WorkerReply reply, double elapsedMs, int maxChars) => new()
    {
        Status = ToStatus(reply.Status),
        Output = Cap(reply.Output, maxChars) ?? "",
        ReturnValue = Cap(reply.ReturnValue, maxChars),
        Error = Cap(reply.Error, maxChars),
        Line = reply.Line,
        Column = reply.Column,
        FinalAnswer = Cap(reply.FinalAnswer, maxChars),
        ElapsedMs = elapsedMs,
    };

    private static string? Cap(string? text, int maxChars) => text is null ? null : TextCap.Cut(text, maxChars);

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
