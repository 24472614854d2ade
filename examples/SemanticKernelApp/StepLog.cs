using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Running;

namespace SemanticKernelExample;

/// <summary>Keeps the agent's action steps as they complete: the kernel function returns only the answer.</summary>
internal sealed class StepLog : IProgress<AgentEvent>
{
    private readonly List<ActionStep> _steps = [];

    /// <summary>The steps so far, in order.</summary>
    public IReadOnlyList<ActionStep> Steps
    {
        get { lock (_steps) return [.. _steps]; }
    }

    public void Report(AgentEvent value)
    {
        if (value is ActionCompletedEvent completed)
            lock (_steps) _steps.Add(completed.Action);
    }
}
