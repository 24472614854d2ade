using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Compilation;
using AgentKit.Sandbox.Pool;

namespace AgentKit.Sandbox.Sessions;

/// <summary>A script context: the run's worker that holds it and its id there.</summary>
internal sealed record ContextHandle(WorkerProcess Worker, long Id)
{
    /// <summary>False once its worker is gone (killed for a timeout, a crash, or the end of the run).</summary>
    public bool IsAlive => !Worker.HasExited;
}

/// <summary>A step that is part of a session's state: its code, the image that ran, and the tool answers it received.</summary>
internal sealed record CommittedStep(string Code, CompiledSubmission Submission, IReadOnlyList<ToolCallRecord> ToolCalls);

/// <summary>A candidate run by <c>TryCandidatesAsync</c>, kept until one is committed.</summary>
internal sealed record CandidateRun(string Code, CompiledSubmission? Submission, ContextHandle? Context, ExecutionResult Result, IReadOnlyList<ToolCallRecord> ToolCalls);
