using System.Text.Json;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;

namespace AgentKit.Training.Grpo;

/// <summary>One task's line in <c>prefilter.jsonl</c>: the starting policy's rewards on it and whether the run trains on it.</summary>
/// <param name="TaskId">The task's id.</param>
/// <param name="Samples">Completions sampled.</param>
/// <param name="RewardMean">Mean of their weighted rewards.</param>
/// <param name="RewardStd">Their standard deviation.</param>
/// <param name="Kept">Whether the rewards differed, so the run trains on the task.</param>
public sealed record PrefilterRecord(string TaskId, int Samples, double RewardMean, double RewardStd, bool Kept);

/// <summary>
/// Offline difficulty filtering (<see cref="GrpoOptions.PrefilterSamples"/>): before the first step, samples every task
/// with the starting policy and keeps those whose rewards differ. A task the policy always or never solves gives a group
/// with equal rewards, which teaches nothing; dynamic sampling drops such groups too, but only after paying for them at
/// every step. The result is written to <c>prefilter.jsonl</c> once whole, and a resumed run reads it instead of sampling again.
/// </summary>
internal sealed class TaskPrefilter(GrpoOptions options, IRolloutSource source, GroupCollector scorer, TimeProvider time)
{
    /// <summary>Seconds the last <see cref="KeepAsync"/> spent sampling (0 when it read the file).</summary>
    public double SampledSeconds { get; private set; }

    /// <summary>The tasks to train on: read from <paramref name="output"/>'s <c>prefilter.jsonl</c>, or sampled and written there.</summary>
    /// <exception cref="InvalidDataException">No task has a reward spread, the file keeps none of <paramref name="tasks"/>, or a line of it is damaged.</exception>
    public async Task<IReadOnlyList<TrajectoryTask>> KeepAsync(LlamaForCausalLM policy, IReadOnlyList<TrajectoryTask> tasks, string output,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(output, GrpoRunFiles.Prefilter);
        var started = time.GetTimestamp();
        var sampled = !File.Exists(path);
        var records = sampled ? await SampleAsync(policy, tasks, path, cancellationToken).ConfigureAwait(false) : Read(path);
        SampledSeconds = sampled ? time.GetElapsedTime(started).TotalSeconds : 0;
        var kept = records.Where(r => r.Kept).Select(r => r.TaskId).ToHashSet(StringComparer.Ordinal);
        var chosen = tasks.Where(t => kept.Contains(t.Id)).ToList();
        if (chosen.Count == 0 && kept.Count > 0)
            throw new InvalidDataException(
                $"the prefilter in {path} keeps {kept.Count} task(s), none of them in this task file: the run was started with other tasks; resume with those, or start a new output.");
        if (chosen.Count == 0)
            throw new InvalidDataException(
                $"no task's rewards differed among {options.PrefilterSamples} completions of the starting policy ({path}): every task is always or never solved, so GRPO has nothing to learn from; use other tasks or rewards, or turn the prefilter off.");
        return chosen;
    }

    private async Task<IReadOnlyList<PrefilterRecord>> SampleAsync(LlamaForCausalLM policy, IReadOnlyList<TrajectoryTask> tasks, string path,
        CancellationToken cancellationToken)
    {
        var records = new List<PrefilterRecord>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var request = new RolloutRequest(policy, tasks[i], options.PrefilterSamples, options.MaxCompletionLength, options.Temperature, options.TopP,
                Seeds.Mix(options.Seed, i, 0x9F1));
            var rollouts = await source.SampleGroupAsync(request, cancellationToken).ConfigureAwait(false);
            if (rollouts.Count != options.PrefilterSamples)
                throw new InvalidOperationException($"The rollout source returned {rollouts.Count} rollouts of task '{tasks[i].Id}' for a prefilter of {options.PrefilterSamples}.");
            var group = scorer.Score(0, rollouts, step: 0);
            records.Add(new PrefilterRecord(tasks[i].Id, rollouts.Count, group.Totals.Average(), GroupAdvantages.StandardDeviation(group.Totals), !group.ZeroStd));
        }
        // Written aside and moved in: an interrupted prefilter leaves no partial list that a resume would trust.
        var staging = path + ".tmp";
        File.WriteAllLines(staging, records.Select(r => JsonSerializer.Serialize(r, GrpoRunFiles.Json)));
        File.Move(staging, path, overwrite: true);
        return records;
    }

    private static List<PrefilterRecord> Read(string path)
    {
        var records = new List<PrefilterRecord>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<PrefilterRecord>(line, GrpoRunFiles.Json)
                            ?? throw new InvalidDataException($"{path}:{number}: null line."));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{number}: not a prefilter record ({ex.Message}); delete the file to sample the prefilter again.", ex);
            }
        }
        return records;
    }
}
