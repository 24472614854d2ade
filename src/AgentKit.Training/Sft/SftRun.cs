using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Sft;

/// <summary>What <see cref="SftRun.TrainAsync"/> trained (<c>agentkit train sft --json</c> prints it).</summary>
/// <param name="Output">The output directory.</param>
/// <param name="FinalCheckpoint">The final checkpoint folder.</param>
/// <param name="Parameters">Parameters of the model.</param>
/// <param name="TrainableParameters">Of which trained (fewer with LoRA).</param>
/// <param name="Steps">Optimizer steps of the whole run.</param>
/// <param name="ResumedFromStep">Step this invocation resumed from (0 for a fresh run).</param>
/// <param name="FirstTrainLoss">Train loss of this invocation's first step.</param>
/// <param name="FinalTrainLoss">Train loss of the last step.</param>
/// <param name="FinalValidationLoss">Last validation loss (null without validation data).</param>
/// <param name="TokensPerSecond">Average training throughput.</param>
/// <param name="MetricsCsv">Per-step metrics.</param>
/// <param name="LossPlot">Loss curve.</param>
public sealed record SftReport(string Output, string FinalCheckpoint, long Parameters, long TrainableParameters, int Steps, int ResumedFromStep,
    double FirstTrainLoss, double FinalTrainLoss, double? FinalValidationLoss, double TokensPerSecond, string MetricsCsv, string LossPlot);

/// <summary>
/// One supervised fine-tuning run (<c>agentkit train sft</c>): a fresh model from a <c>config.json</c> or a checkpoint to
/// fine-tune, its tokenizer, and <see cref="SftOptions"/>. <see cref="Open"/> loads them (so the model's size is known
/// before training starts); <see cref="TrainAsync"/> trains and reports.
/// </summary>
public sealed class SftRun : IDisposable
{
    private readonly LlamaForCausalLM _model;
    private readonly SftTrainer _trainer;
    private readonly string? _baseCheckpoint;

    private SftRun(LlamaForCausalLM model, SftTrainer trainer, string? baseCheckpoint, SftOptions options)
    {
        _model = model;
        _trainer = trainer;
        _baseCheckpoint = baseCheckpoint;
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public SftOptions Options { get; }

    /// <summary>Parameters of the model.</summary>
    public long Parameters => _model.Config.ParameterCount();

    /// <summary>The default tokenizer for <paramref name="basePath"/>: the one in the checkpoint, or null for a fresh model's config.</summary>
    public static string? DefaultTokenizer(string basePath) => CheckpointIO.IsCheckpoint(basePath) ? Path.Combine(basePath, TokenizerLoader.FileName) : null;

    /// <summary>Loads the tokenizer and the model: <paramref name="basePath"/> is a checkpoint directory or a <c>config.json</c>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="FileNotFoundException">The data, base or tokenizer is missing.</exception>
    public static SftRun Open(string basePath, string tokenizerPath, SftOptions options)
    {
        options.Validate();
        if (!File.Exists(options.DataPath))
            throw new FileNotFoundException($"data file not found: {options.DataPath}", options.DataPath);
        var isCheckpoint = CheckpointIO.IsCheckpoint(basePath);
        if (!isCheckpoint && !File.Exists(basePath))
            throw new FileNotFoundException($"the base must be a config.json or a checkpoint directory; '{basePath}' is neither.", basePath);
        if (!File.Exists(tokenizerPath))
            throw new FileNotFoundException($"tokenizer not found: {tokenizerPath}", tokenizerPath);
        var tokenizer = TokenizerLoader.Load(tokenizerPath);
        var model = isCheckpoint ? CheckpointIO.Load(basePath) : new LlamaForCausalLM(LlamaConfig.Load(basePath), options.Seed);
        return new SftRun(model, new SftTrainer(options, tokenizer, tokenizerPath), isCheckpoint ? basePath : null, options);
    }

    /// <summary>Trains on a worker thread (resuming from the output's last checkpoint if there is one) and reports.</summary>
    public async Task<SftReport> TrainAsync(IProgress<SftProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = await Task.Run(() => _trainer.Train(_model, _baseCheckpoint, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        var output = Options.OutputDirectory;
        return new SftReport(output, result.FinalCheckpoint, Parameters,
            _model.TrainableParameters().Sum(p => p.numel()), result.Steps, result.ResumedFromStep,
            Math.Round(result.History.FirstOrDefault()?.TrainLoss ?? double.NaN, 4), Math.Round(result.FinalTrainLoss, 4),
            result.FinalValidationLoss is { } val ? Math.Round(val, 4) : null, Math.Round(result.TokensPerSecond, 1),
            Path.Combine(output, "metrics.csv"), Path.Combine(output, "loss.png"));
    }

    /// <summary>Frees the model's tensors.</summary>
    public void Dispose() => _model.Dispose();
}
