namespace AgentKit.Training.Sft;

/// <summary>One optimizer step's figures (a row of <c>metrics.csv</c>).</summary>
/// <param name="Step">Optimizer step, 1-based.</param>
/// <param name="TotalSteps">Steps in the run.</param>
/// <param name="Epoch">Fractional epoch.</param>
/// <param name="LearningRate">Rate used for this step.</param>
/// <param name="TrainLoss">Mean loss of the step's weighted tokens.</param>
/// <param name="ValidationLoss">Validation loss when evaluated at this step, else null.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Tokens">Tokens processed so far (inputs, including untrained ones).</param>
/// <param name="TokensPerSecond">Throughput of this step.</param>
/// <param name="Elapsed">Wall time since the run (or resume) began.</param>
public sealed record SftProgress(int Step, int TotalSteps, double Epoch, double LearningRate, double TrainLoss, double? ValidationLoss,
    double GradNorm, long Tokens, double TokensPerSecond, TimeSpan Elapsed);

/// <summary>The outcome of a run.</summary>
/// <param name="FinalCheckpoint">Directory of the final checkpoint.</param>
/// <param name="Steps">Optimizer steps completed.</param>
/// <param name="FinalTrainLoss">Loss of the last step.</param>
/// <param name="FinalValidationLoss">Last validation loss, if any.</param>
/// <param name="TokensPerSecond">Average throughput.</param>
/// <param name="History">Every step's figures.</param>
/// <param name="ResumedFromStep">Step the run resumed from (0 for a fresh run).</param>
public sealed record SftResult(string FinalCheckpoint, int Steps, double FinalTrainLoss, double? FinalValidationLoss, double TokensPerSecond,
    IReadOnlyList<SftProgress> History, int ResumedFromStep);
