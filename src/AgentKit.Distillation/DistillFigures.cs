namespace AgentKit.Distillation;

/// <summary>The teacher stage's figures.</summary>
/// <param name="Runs">Runs in the trajectory file.</param>
/// <param name="Correct">Runs the scorer marked correct.</param>
/// <param name="Questions">Questions the atlas teacher had to run (null for recorded trajectories).</param>
/// <param name="NewRuns">Runs recorded by this invocation (fewer than <paramref name="Runs"/> after a resume).</param>
public sealed record TeacherFigures(int Runs, int Correct, int? Questions, int NewRuns);

/// <summary>The SFT data stage's figures.</summary>
/// <param name="Runs">Runs read.</param>
/// <param name="Examples">SFT examples written.</param>
/// <param name="UnreadableLines">Trajectory lines skipped as unreadable.</param>
/// <param name="SyntheticExamples">Of <paramref name="Examples"/>, those from the invented atlas (null without one); they follow the real ones.</param>
public sealed record SftDataFigures(int Runs, int Examples, int UnreadableLines, int? SyntheticExamples = null);

/// <summary>The tokenizer stage's figures.</summary>
/// <param name="VocabSize">Tokens in the vocabulary.</param>
/// <param name="Merges">BPE merges learnt.</param>
public sealed record TokenizerFigures(int VocabSize, int Merges);

/// <summary>The SFT stage's figures.</summary>
/// <param name="Parameters">Parameters of the student.</param>
/// <param name="TrainRows">Packed training rows.</param>
/// <param name="TokensPerEpoch">Input tokens per epoch (packed rows × sequence length).</param>
/// <param name="TrainedTokensPerEpoch">Tokens per epoch that carry loss (the assistant's).</param>
/// <param name="Steps">Optimizer steps of the whole run.</param>
/// <param name="ResumedFromStep">Step the last invocation resumed from (0 for a fresh run).</param>
/// <param name="FirstTrainLoss">Train loss of step 1.</param>
/// <param name="FinalTrainLoss">Train loss of the last step.</param>
/// <param name="FinalValidationLoss">Last validation loss (null without validation data).</param>
/// <param name="TokensPerSecond">Average training throughput of the last invocation.</param>
/// <param name="FinalCheckpoint">The final checkpoint folder.</param>
/// <param name="MetricsCsv">Per-step metrics.</param>
/// <param name="LossPlot">Loss curve.</param>
public sealed record SftFigures(long Parameters, int TrainRows, long TokensPerEpoch, long TrainedTokensPerEpoch, int Steps, int ResumedFromStep,
    double FirstTrainLoss, double FinalTrainLoss, double? FinalValidationLoss, double TokensPerSecond, string FinalCheckpoint, string MetricsCsv, string LossPlot);

/// <summary>The GGUF stage's figures.</summary>
/// <param name="Path">The GGUF in the work folder.</param>
/// <param name="Type">Tensor type.</param>
/// <param name="Bytes">File size.</param>
/// <param name="Parameters">Parameters written.</param>
public sealed record GgufFigures(string Path, string Type, long Bytes, long Parameters);

/// <summary>The synthetic stage's figures.</summary>
/// <param name="Countries">Invented countries.</param>
/// <param name="Passages">Corpus passages about them.</param>
/// <param name="Questions">Training questions about them.</param>
public sealed record SyntheticFigures(int Countries, int Passages, int Questions);

/// <summary>The Hugging Face export stage's figures.</summary>
/// <param name="Path">The exported folder in the work folder.</param>
/// <param name="Adapter">Its PEFT adapter folder (null when merged or trained without LoRA).</param>
/// <param name="Type">Tensor type.</param>
/// <param name="Shards">Weight files.</param>
/// <param name="Bytes">Bytes of all files written.</param>
/// <param name="Parameters">Parameters of the base model.</param>
public sealed record HfFigures(string Path, string? Adapter, string Type, int Shards, long Bytes, long Parameters);

/// <summary>The eval stage's figures (the per-question results are in <paramref name="Results"/>).</summary>
/// <param name="Results">The benchmark results file (<c>eval.json</c> in the work folder).</param>
/// <param name="Mode"><c>agent</c> or <c>cot</c>.</param>
/// <param name="Averages">Accuracy averaged over the sets, per N (the paper's figure).</param>
/// <param name="Sets">Per set and N.</param>
public sealed record EvalFigures(string Results, string Mode, IReadOnlyList<AgentKit.Hosting.Evaluation.BenchmarkAverage> Averages, IReadOnlyList<EvalSetFigures> Sets);

/// <summary>One benchmark set at one N.</summary>
/// <param name="Name">The set.</param>
/// <param name="N">Candidate actions per step (or chain-of-thought samples).</param>
/// <param name="Questions">Questions run.</param>
/// <param name="Accuracy">Share scored correct.</param>
/// <param name="F1">Mean token F1 (factual sets only).</param>
/// <param name="JudgeAccuracy">Share the judge called correct (null without a judge).</param>
/// <param name="Errors">Runs that failed.</param>
public sealed record EvalSetFigures(string Name, int N, int Questions, double Accuracy, double? F1, double? JudgeAccuracy, int Errors);
