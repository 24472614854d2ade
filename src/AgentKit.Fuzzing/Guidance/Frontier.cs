using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>The campaign's frontier: covered blocks with an uncovered successor.</summary>
public static class Frontier
{
    /// <summary>
    /// Every (covered block, uncovered successor) pair of <paramref name="map"/> given the campaign's
    /// <paramref name="covered"/> probe ids (e.g. <see cref="Execution.BlockCoverageRunner.Cover"/> over the corpus),
    /// in IL order. Blocks whose id is shared by several blocks (<see cref="BranchMap.IsAmbiguous"/>) are left out:
    /// a hit on them cannot be attributed.
    /// </summary>
    public static List<FrontierBranch> Compute(BranchMap map, IReadOnlySet<int> covered)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(covered);
        var frontier = new List<FrontierBranch>();
        foreach (var block in map.Blocks)
        {
            if (!covered.Contains(block.ProbeId) || map.IsAmbiguous(block.ProbeId))
                continue;
            foreach (var successor in block.Successors)
                if (!covered.Contains(successor) && !map.IsAmbiguous(successor) && map.Find(successor) is { } target)
                    frontier.Add(new FrontierBranch(block, target));
        }
        return frontier;
    }
}
