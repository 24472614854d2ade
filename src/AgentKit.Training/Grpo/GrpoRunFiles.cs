using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentKit.Training.Grpo;

/// <summary>Files a GRPO run writes in its output directory, and the JSON settings of its JSONL files.</summary>
public static class GrpoRunFiles
{
    /// <summary>One <see cref="GrpoStepMetrics"/> per line.</summary>
    public const string Metrics = "metrics.jsonl";

    /// <summary>One <see cref="GrpoRolloutRecord"/> per sampled completion.</summary>
    public const string Rollouts = "rollouts.jsonl";

    /// <summary>Reward, zero-std groups, KL, clip ratio, entropy and completion length over the run.</summary>
    public const string Plot = "grpo.png";

    /// <summary>The resumable checkpoint (weights, optimizer, trainer state).</summary>
    public const string LastCheckpoint = "checkpoint-last";

    /// <summary>Prefix of the kept step checkpoints (<see cref="GrpoOptions.KeepCheckpoints"/>): <c>checkpoint-STEP</c>.</summary>
    public const string StepCheckpointPrefix = "checkpoint-";

    /// <summary>The folder name of the checkpoint kept at <paramref name="step"/>.</summary>
    public static string StepCheckpoint(int step) => StepCheckpointPrefix + step.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The kept step checkpoints in <paramref name="output"/>, oldest first (<c>checkpoint-last</c> and staging folders are not steps).</summary>
    public static IReadOnlyList<(int Step, string Path)> KeptCheckpoints(string output) =>
        !Directory.Exists(output)
            ? []
            : [.. new DirectoryInfo(output).EnumerateDirectories(StepCheckpointPrefix + "*")
                .Select(d => (Step: int.TryParse(d.Name[StepCheckpointPrefix.Length..], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var step) ? step : -1, Path: d.FullName))
                .Where(c => c.Step >= 0)
                .OrderBy(c => c.Step)];

    /// <summary>The starting policy's rewards on every task and which the run trains on (<see cref="GrpoOptions.PrefilterSamples"/>); one <see cref="PrefilterRecord"/> per line.</summary>
    public const string Prefilter = "prefilter.jsonl";

    /// <summary>The final model.</summary>
    public const string FinalCheckpoint = "final";

    /// <summary>snake_case names, one object per line.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Completions are read by people: keep quotes and non-ASCII text as written (the file is not embedded in HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A diverging run (NaN loss or gradient norm) is still recorded, as "NaN", rather than stopping the log.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Keeps only the lines of a JSONL file whose <c>step</c> is at most <paramref name="step"/> (a resumed run rewrites what follows).</summary>
    internal static void TruncateAfter(string path, int step)
    {
        if (!File.Exists(path))
            return;
        var kept = File.ReadAllLines(path).Where(line =>
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.TryGetProperty("step", out var s) && s.GetInt32() <= step;
            }
            catch (JsonException)
            {
                return false; // a line cut by an interruption
            }
        });
        File.WriteAllLines(path, kept);
    }
}

/// <summary>One sampled completion with its rewards (a line of <c>rollouts.jsonl</c>), so RL data can be inspected.</summary>
/// <param name="Step">Training step, 1-based.</param>
/// <param name="TaskId">The task's id.</param>
/// <param name="Group">Index of the group within the step.</param>
/// <param name="Index">Index of the completion within its group.</param>
/// <param name="Completion">The generated text.</param>
/// <param name="FinalAnswer">The answer extracted or given.</param>
/// <param name="CompletionTokens">Tokens the policy generated.</param>
/// <param name="Truncated">Cut at the length limit.</param>
/// <param name="Rewards">Per reward function: its value and reason.</param>
/// <param name="Reward">The weighted sum.</param>
/// <param name="Advantage">The advantage trained with; null when the group was skipped (dynamic sampling).</param>
public sealed record GrpoRolloutRecord(int Step, string TaskId, int Group, int Index, string Completion, string? FinalAnswer, int CompletionTokens,
    bool Truncated, IReadOnlyDictionary<string, Rewards.RewardResult> Rewards, double Reward, double? Advantage);
