using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Agents;

/// <summary>What GRPO adds to a recorded agent run (the <c>grpo</c> object of its line).</summary>
/// <param name="Step">Training step that sampled the run.</param>
/// <param name="Rewards">Each reward function's value and reason, by name.</param>
/// <param name="Reward">The weighted total.</param>
/// <param name="Truncated">Whether the rollout counted as truncated.</param>
/// <param name="TokenIds">The conversation's token ids exactly as the policy saw and sampled them.</param>
/// <param name="PolicyMask">Per token: sampled by the policy.</param>
/// <param name="SamplingLogProbs">Per token: the sampling log-prob (0 where not sampled).</param>
public sealed record RolloutRewardRecord(int Step, IReadOnlyDictionary<string, RewardResult> Rewards, double Reward, bool Truncated,
    IReadOnlyList<int> TokenIds, IReadOnlyList<bool> PolicyMask, IReadOnlyList<float> SamplingLogProbs);

/// <summary>A trajectory line read back: the run, and its GRPO record when it was written by a rollout source.</summary>
public sealed record RecordedRollout(TrajectoryRecord Trajectory, RolloutRewardRecord? Grpo);

/// <summary>
/// Trajectory files of agent rollouts: each line is a schema-1 trajectory record (so <see cref="JsonlTrajectoryReader"/>,
/// <c>agentkit export</c> and every other reader take it as is, ignoring what they do not know) with one extra
/// <c>grpo</c> object holding the rewards with their reasons and the exact token sequence. A run id seen again (a
/// resumed step sampled anew) replaces the earlier line, as the trajectory reader does.
/// </summary>
public static class RolloutTrajectoryFile
{
    /// <summary>Name of the extra object on each line.</summary>
    public const string GrpoProperty = "grpo";

    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Appends the scored rollouts that carry a trajectory, one line each, in a single flushed write.</summary>
    public static async Task AppendAsync(string path, ScoredRolloutGroup group, Func<Rollout, bool> truncated, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(group);
        var text = new StringBuilder();
        for (var i = 0; i < group.Rollouts.Count; i++)
        {
            var rollout = group.Rollouts[i];
            if (rollout.Trajectory is not { } trajectory)
                continue;
            var grpo = new RolloutRewardRecord(group.Step, group.Rewards[i], group.Totals[i], truncated(rollout), rollout.TokenIds, rollout.PolicyMask,
                rollout.SamplingLogProbs);
            var line = JsonNode.Parse(TrajectoryJson.Serialize(trajectory))!.AsObject();
            line[GrpoProperty] = JsonSerializer.SerializeToNode(grpo, TrajectoryJson.Options);
            text.Append(line.ToJsonString(TrajectoryJson.Options)).Append('\n');
        }
        if (text.Length == 0)
            return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        await s_gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/>: the runs (last line per run id wins) with their GRPO records where present, and
    /// warnings for lines that could not be read (as <see cref="JsonlTrajectoryReader"/> reports them).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (IReadOnlyList<RecordedRollout> Rollouts, IReadOnlyList<string> Warnings) Read(string path)
    {
        var runs = JsonlTrajectoryReader.Read(path);
        var extras = new Dictionary<string, RolloutRewardRecord>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
                continue;
            try
            {
                if (JsonNode.Parse(line) is JsonObject obj && obj["run_id"]?.GetValue<string>() is { } id && obj[GrpoProperty] is { } grpo)
                    extras[id] = grpo.Deserialize<RolloutRewardRecord>(TrajectoryJson.Options) ?? throw new JsonException("null grpo record");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                // The trajectory reader already reported the line; a run without its grpo object is replayed re-tokenised.
            }
        }
        return ([.. runs.Records.Select(r => new RecordedRollout(r, extras.GetValueOrDefault(r.RunId)))], runs.Warnings);
    }
}
