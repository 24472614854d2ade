using System.Globalization;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Scores candidate inputs for one target block:
/// <c>1.0</c> when the target ran; <c>0</c> when the input was rejected at the first stage; else
/// <c>min(MissCap, ProximityWeight / (1 + d) + (new blocks ? NewCoverageBonus : 0))</c>, where d is the least
/// interprocedural block distance from any block the input ran to the target (<see cref="BranchDistance"/>), and the
/// proximity term is 0 when no block reaches it. Crashes, dead workers and hangs are findings whatever they score.
/// A pure function of the input's coverage, the campaign's covered set and the input's outcome.
/// </summary>
public sealed class DistanceReward
{
    private readonly BranchDistance _distance;
    private readonly DistanceRewardOptions _options;
    private readonly FirstStageGate? _gate;

    /// <summary>A reward for reaching <paramref name="target"/> (a probe id of <paramref name="map"/>).</summary>
    /// <param name="map">The branch map of the instrumented target.</param>
    /// <param name="target">Probe id of the target block (e.g. <see cref="FrontierBranch.Target"/>).</param>
    /// <param name="options">Constants; validated here.</param>
    /// <param name="firstStage">Inputs that do not pass it score 0; null scores every input by distance.</param>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a block of the map, or its id is ambiguous.</exception>
    public DistanceReward(BranchMap map, int target, DistanceRewardOptions? options = null, FirstStageGate? firstStage = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Find(target) is null)
            throw new ArgumentException($"probe {target} is not a block of the branch map", nameof(target));
        if (map.IsAmbiguous(target))
            throw new ArgumentException($"probe {target} is shared by several blocks: hits on it cannot be attributed", nameof(target));
        _options = (options ?? new DistanceRewardOptions()).Validate();
        _distance = new BranchDistance(map, target, _options.CallWeight);
        _gate = firstStage;
    }

    /// <summary>A reward for the target of a frontier branch.</summary>
    public DistanceReward(BranchMap map, FrontierBranch branch, DistanceRewardOptions? options = null, FirstStageGate? firstStage = null)
        : this(map, (branch ?? throw new ArgumentNullException(nameof(branch))).Target.ProbeId, options, firstStage)
    {
    }

    /// <summary>Distances to the target (for inspection and for explaining a score).</summary>
    public BranchDistance Distances => _distance;

    /// <summary>Scores a run from <see cref="BlockCoverageRunner.Run"/>.</summary>
    public Reward Score(BlockRun run, IReadOnlySet<int> campaignCovered)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Kind is "died" or "hang")
            return new Reward(0.0, false, null, 0, true, $"{run.Kind} ({run.Message}): recorded as a finding; its coverage died with the worker");
        var reward = Score(run.Blocks, run.Finding, campaignCovered);
        return run.Finding
            ? reward with { Reason = $"{run.Kind} ({run.ExceptionType ?? run.Message}): recorded as a finding; {reward.Reason}" }
            : reward;
    }

    /// <summary>Scores an input that ran <paramref name="blocks"/>, given what the campaign had covered before it.</summary>
    /// <param name="blocks">Probe ids the input executed.</param>
    /// <param name="finding">The input crashed, killed the worker or hung.</param>
    /// <param name="campaignCovered">Probe ids the campaign's corpus covers.</param>
    public Reward Score(IReadOnlySet<int> blocks, bool finding, IReadOnlySet<int> campaignCovered)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(campaignCovered);
        var newBlocks = blocks.Count(b => !campaignCovered.Contains(b));
        if (blocks.Contains(_distance.Target))
            return new Reward(1.0, true, 0, newBlocks, finding, "target block ran");
        if (_gate is not null && !_gate.Passed(blocks))
            return new Reward(0.0, false, null, newBlocks, finding, "rejected at the first stage");
        var distance = _distance.Nearest(blocks);
        var proximity = distance is { } d ? _options.ProximityWeight / (1 + d) : 0.0;
        var bonus = newBlocks > 0 ? _options.NewCoverageBonus : 0.0;
        var value = Math.Min(_options.MissCap, proximity + bonus);
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"miss at distance {(distance is { } x ? x.ToString(CultureInfo.InvariantCulture) : "∞")}, {newBlocks} new block(s)");
        return new Reward(value, false, distance, newBlocks, finding, reason);
    }
}
