namespace AgentKit.Hosting.Evaluation;

/// <summary>What <see cref="TrajectoryRecorder"/> records for each task.</summary>
public enum RecordMode
{
    /// <summary>A teacher agent run (tool-using trajectory).</summary>
    Agent,

    /// <summary>One plain chain-of-thought answer with eval's CoT prompt (CoT distillation data).</summary>
    Cot,
}
