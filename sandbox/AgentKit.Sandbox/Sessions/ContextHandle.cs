using AgentKit.Sandbox.Pool;

namespace AgentKit.Sandbox.Sessions;

/// <summary>Where a script context lives: a slot, the generation of its worker, and the context id inside it.</summary>
internal sealed record ContextHandle(WorkerSlot Slot, int Generation, long Id)
{
    /// <summary>False once the worker that held the context was replaced (its state is gone).</summary>
    public bool IsAlive => Slot.Generation == Generation;

    /// <summary>Unloads the context the next time its slot is used (nothing to do if its worker is gone).</summary>
    public void Close() => Slot.ScheduleClose(Generation, Id);
}

/// <summary>A step that is part of a session's state: its code and the tool answers it received.</summary>
internal sealed record CommittedStep(string Code, IReadOnlyList<ToolCallRecord> ToolCalls);

/// <summary>A candidate run by <c>TryCandidatesAsync</c>, kept until one is committed.</summary>
internal sealed record CandidateRun(string Code, ContextHandle? Context, Abstractions.Execution.ExecutionResult Result, IReadOnlyList<ToolCallRecord> ToolCalls);
