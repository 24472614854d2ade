namespace AgentKit.Distillation;

/// <summary>A stage that records teacher trajectories (a JSONL file named by <see cref="IDistillStage.Output"/>) for the SFT data.</summary>
internal interface ITeacherStage : IDistillStage
{
    /// <summary>
    /// Task ids in question order, so examples do not depend on the order parallel or resumed runs finished in;
    /// null keeps the file's order. Read only after the stage's output is complete.
    /// </summary>
    IReadOnlyList<string>? TaskOrder { get; }
}
