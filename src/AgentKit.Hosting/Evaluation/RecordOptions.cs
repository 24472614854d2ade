namespace AgentKit.Hosting.Evaluation;

/// <summary>How <see cref="TrajectoryRecording.RunAsync"/> and <see cref="TrajectoryRecorder"/> record. Checked by <see cref="Validate"/>.</summary>
public sealed record RecordOptions
{
    /// <summary>
    /// The JSONL file the kept trajectories are appended to. A file that exists is resumed: its tasks (and the tasks its
    /// <see cref="RecordingLedger"/> lists as done) are not run again.
    /// </summary>
    public required string Out { get; init; }

    /// <summary>Force the first paragraph of a chain-of-thought answer as the start of the first step.</summary>
    public bool FirstThought { get; init; }

    /// <summary>Keep only runs scored correct (every task then needs a reference answer).</summary>
    public bool FilterCorrect { get; init; }

    /// <summary>Drop runs in which the action taken at some step did not parse.</summary>
    public bool FilterParseErrors { get; init; }

    /// <summary>Tasks run at once (1-64, default 1). Lines may then come in another order than the task file's.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>On resume, run again the tasks an earlier recording dropped (default: they count as done).</summary>
    public bool RedoDropped { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unusable setting; returns this otherwise.</summary>
    public RecordOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Out))
            throw new ArgumentException("the trajectory output path must not be empty.");
        if (Concurrency is < 1 or > 64)
            throw new ArgumentException($"concurrency must be between 1 and 64, got {Concurrency}.");
        return this;
    }
}
