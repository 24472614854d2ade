using System.Text.Json;
using System.Text.Json.Serialization;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using TorchSharp.Modules;

namespace AgentKit.Training.Grpo;

/// <summary>
/// Where a run stands, saved beside the weights and optimizer so a resumed run continues exactly: the step, the data
/// position, the optimizer steps taken (the warm-up position) and the seed every random draw derives from.
/// </summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps of the run.</param>
/// <param name="TasksConsumed">Tasks drawn so far (the data position; dynamic sampling draws more than the steps need).</param>
/// <param name="OptimizerSteps">Optimizer steps taken.</param>
/// <param name="Seed">The seed of the run: sampling, dropout and the task order of every epoch derive from it and the step.</param>
public sealed record GrpoTrainerState(int Step, int TotalSteps, long TasksConsumed, int OptimizerSteps, long Seed);

/// <summary>What <c>training_config.json</c> records for a GRPO run.</summary>
/// <param name="Grpo">Resolved options.</param>
/// <param name="Model">The model shape.</param>
/// <param name="Base">Where the starting model came from, when known.</param>
/// <param name="Rewards">Reward function names, in the order of the weights.</param>
public sealed record GrpoTrainingRecord(GrpoOptions Grpo, LlamaConfig Model, string? Base, IReadOnlyList<string> Rewards)
{
    /// <summary>Serializer settings for the record.</summary>
    [JsonIgnore]
    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = true };
}

/// <summary>Saves and reads GRPO checkpoints (an HF checkpoint plus optimizer and trainer state), swapped in atomically.</summary>
internal static class GrpoCheckpoint
{
    public static void Save(LlamaForCausalLM model, OptimizerHelper? optimizer, string directory, GrpoTrainerState state, GrpoTrainingRecord record,
        ITextTokenizer? tokenizer, string? tokenizerFile)
    {
        StagedCheckpoint.Save(model, directory, tokenizer, tokenizerFile, staging =>
        {
            File.WriteAllText(Path.Combine(staging, CheckpointFiles.TrainingConfig), JsonSerializer.Serialize(record, GrpoTrainingRecord.Json));
            if (optimizer is null)
                return;
            optimizer.save_state_dict(Path.Combine(staging, CheckpointFiles.OptimizerState));
            File.WriteAllText(Path.Combine(staging, CheckpointFiles.TrainerState), JsonSerializer.Serialize(state));
        });
    }

    /// <summary>Copies a checkpoint's adapter weights into the adapters <paramref name="model"/> already carries (same targets and rank).</summary>
    public static void LoadAdapterWeights(LlamaForCausalLM model, string directory)
    {
        var path = Path.Combine(directory, CheckpointFiles.AdapterWeights);
        var tensors = CheckpointIO.ReadSafetensors(path);
        try
        {
            var targets = model.state_dict().Where(p => CheckpointIO.IsAdapterName(p.Key)).ToList();
            using var _ = TorchSharp.torch.no_grad();
            foreach (var (name, target) in targets)
            {
                if (!tensors.TryGetValue(CheckpointFiles.PeftPrefix + name, out var source) || !source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"'{path}' does not hold the model's adapter tensor '{name}' [{string.Join(", ", target.shape)}]; resume with the starting model the run began with.");
                target.copy_(source);
            }
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    public static bool HasState(string directory) => File.Exists(Path.Combine(directory, CheckpointFiles.TrainerState));

    public static GrpoTrainerState ReadState(string directory)
    {
        var path = Path.Combine(directory, CheckpointFiles.TrainerState);
        try
        {
            return JsonSerializer.Deserialize<GrpoTrainerState>(File.ReadAllText(path)) ?? throw new InvalidDataException($"Trainer state '{path}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Trainer state '{path}' is corrupt: {ex.Message}", ex);
        }
    }
}
