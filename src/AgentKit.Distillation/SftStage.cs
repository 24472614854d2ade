using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;

namespace AgentKit.Distillation;

/// <summary>
/// Writes <c>model-config.json</c> and trains the student on the SFT data with <see cref="SftTrainer"/> into <c>sft/</c>:
/// a fresh model of the recipe's <c>model</c> shape with the trained tokenizer, or, with <c>student.init</c>, the
/// checkpoint's weights, shape and tokenizer (full or LoRA fine-tuning, as <c>agentkit train sft --init</c>).
/// Resumable through the trainer's own <c>checkpoint-last</c>: the data order, dropout and schedule depend only on
/// the seed and the step, so a resumed run continues the same loss curve.
/// </summary>
internal sealed class SftStage(DistillContext context) : IDistillStage
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly DistillRecipe _recipe = context.Recipe.Recipe;

    public string Name => "sft";

    public string Output => $"{WorkFiles.ModelConfig}, {WorkFiles.Sft}/";

    public JsonObject Parameters
    {
        get
        {
            var parameters = JsonSerializer.SerializeToNode(_recipe.Sft, s_json)!.AsObject();
            if (_recipe.Student is { } student)
            {
                // Hashing gigabytes of weights on every run would cost minutes: the path and the config name the checkpoint.
                parameters["init"] = student.Init;
                parameters["init_config_sha256"] = File.Exists(InitConfig) ? StageFiles.Sha256(InitConfig) : null;
            }
            else
            {
                parameters["model"] = JsonSerializer.SerializeToNode(_recipe.Model, s_json);
            }
            return parameters;
        }
    }

    /// <summary>The checkpoint of <c>student.init</c> (absolute), or null for a student from scratch.</summary>
    private string? InitFolder => _recipe.Student is { } student ? context.Recipe.FromRecipe(student.Init) : null;

    private string InitConfig => Path.Combine(InitFolder ?? "", CheckpointFiles.Config);

    /// <summary>The tokenizer the student trains with: the checkpoint's, or the one stage <c>tokenizer</c> trained.</summary>
    private string TokenizerPath => InitFolder is { } init ? Path.Combine(init, TokenizerLoader.FileName) : context.Work(WorkFiles.Tokenizer);

    // Trained weights are the output worth protecting; a config written by a run that failed before its first checkpoint is not.
    public bool HasOutput => CheckpointIO.IsCheckpoint(FinalFolder) || File.Exists(LastState);

    private string LastState => Path.Combine(OutputFolder, SftTrainer.LastCheckpoint, CheckpointFiles.TrainerState);

    private string OutputFolder => context.Work(WorkFiles.Sft);

    private string ConfigPath => context.Work(WorkFiles.ModelConfig);

    private string FinalFolder => Path.Combine(OutputFolder, SftTrainer.FinalCheckpoint);

    public StagePlan Assess(StageRecord? record)
    {
        if (record is null)
            return StagePlan.Run;
        if (record.Status == StageLedger.Done && CheckpointIO.IsCheckpoint(FinalFolder))
            return StagePlan.Skip;
        return File.Exists(LastState) ? StagePlan.Resume : StagePlan.Run;
    }

    public void Preflight()
    {
        if (InitFolder is not { } init)
            return;
        if (!CheckpointIO.IsCheckpoint(init))
            throw new DistillConfigurationException($"student.init: {init} is not a checkpoint folder (config.json and safetensors).");
        if (!File.Exists(TokenizerPath))
            throw new DistillConfigurationException($"student.init: {init} has no {TokenizerLoader.FileName}; the student trains with the checkpoint's tokenizer.");
        LlamaConfig config;
        try
        {
            config = LlamaConfig.Load(InitConfig);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidDataException)
        {
            throw new DistillConfigurationException($"student.init: {InitConfig}: {ex.Message}", ex);
        }
        if (_recipe.Sft.SeqLen > config.MaxPositionEmbeddings)
            throw new DistillConfigurationException($"sft.seq_len {_recipe.Sft.SeqLen} exceeds max_position_embeddings {config.MaxPositionEmbeddings} of student.init's config.json.");
    }

    public void Reset()
    {
        StageFiles.Delete(OutputFolder);
        StageFiles.Delete(ConfigPath);
    }

    public async Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        if (!resume)
            Reset();
        if (InitFolder is null)
            _recipe.Model!.Save(ConfigPath);
        else
            File.Copy(InitConfig, ConfigPath, overwrite: true);
        var tokenizerPath = TokenizerPath;
        var options = _recipe.Sft.ToOptions(context.Work(WorkFiles.SftData), OutputFolder, context.Threads);
        var tokenizer = TokenizerLoader.Load(tokenizerPath);
        var trainer = new SftTrainer(options, tokenizer, tokenizerPath, context.Time);
        // Packed once more than the trainer needs: the report states the epoch's size, which the trainer does not return.
        var (rows, _) = trainer.LoadRows();
        using var model = InitFolder is { } init ? CheckpointIO.Load(init) : new LlamaForCausalLM(LlamaConfig.Load(ConfigPath), options.Seed);
        var result = await context.Progress.TrackSftAsync(progress => Task.Run(() => trainer.Train(model, InitFolder, progress, cancellationToken), cancellationToken))
            .ConfigureAwait(false);

        var history = ReadMetrics(Path.Combine(OutputFolder, "metrics.csv"));
        var figures = new SftFigures(model.Config.ParameterCount(), rows.Count, (long)rows.Count * options.SequenceLength, rows.TrainedTokens,
            result.Steps, result.ResumedFromStep,
            Math.Round(history.Count > 0 ? history[0].TrainLoss : double.NaN, 4), Math.Round(result.FinalTrainLoss, 4),
            (result.FinalValidationLoss ?? history.LastOrDefault(h => h.ValidationLoss is not null).ValidationLoss) is { } v ? Math.Round(v, 4) : null,
            Math.Round(result.TokensPerSecond, 1), result.FinalCheckpoint,
            Path.Combine(OutputFolder, "metrics.csv"), Path.Combine(OutputFolder, "loss.png"));
        return StageFiles.ToNode(figures);
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<SftFigures>(results);
        return string.Create(CultureInfo.InvariantCulture,
            $"{f.Steps} steps{(f.ResumedFromStep > 0 ? $" (resumed at {f.ResumedFromStep})" : "")}, train loss {f.FirstTrainLoss:F3} → {f.FinalTrainLoss:F3}" +
            $"{(f.FinalValidationLoss is { } v ? $", validation {v:F3}" : "")}, {f.TokensPerSecond:F0} tok/s, {f.Parameters / 1e6:F2}M parameters");
    }

    // metrics.csv holds the whole run, including the steps before a resume (SftResult.History only this invocation's).
    private static List<(double TrainLoss, double? ValidationLoss)> ReadMetrics(string path)
    {
        if (!File.Exists(path))
            return [];
        var c = CultureInfo.InvariantCulture;
        return [.. File.ReadLines(path).Skip(1).Select(line => line.Split(',')).Where(f => f.Length >= 5)
            .Select(f => (double.Parse(f[3], c), f[4].Length > 0 ? double.Parse(f[4], c) : (double?)null))];
    }
}
