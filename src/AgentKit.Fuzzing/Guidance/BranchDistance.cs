using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Distances to one target block over the interprocedural graph of a <see cref="BranchMap"/>: a CFG edge
/// (block → successor in the same method) costs 1, a call edge (block → entry block of an instrumented callee) costs
/// <c>callWeight</c>. Computed once per target (Dijkstra backwards from it); then the distance of any covered set is
/// the minimum over its blocks. Returns are not edges: a caller's block after a call is reached from the caller's own
/// blocks, which an input that made the call has covered.
/// </summary>
public sealed class BranchDistance
{
    private readonly Dictionary<int, int> _toTarget = new();

    /// <summary>Computes the distance of every block to <paramref name="target"/>.</summary>
    /// <param name="map">The branch map.</param>
    /// <param name="target">Probe id of the target block.</param>
    /// <param name="callWeight">Cost of entering a callee, in blocks (at least 1).</param>
    public BranchDistance(BranchMap map, int target, int callWeight)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(callWeight, 1);
        Target = target;
        foreach (var (block, distance) in Outward(Predecessors(map, callWeight), target))
            _toTarget[block] = distance;
    }

    /// <summary>Probe id of the target block.</summary>
    public int Target { get; }

    /// <summary>Distance from block <paramref name="probeId"/> to the target, or null when the target is unreachable from it.</summary>
    public int? From(int probeId) => _toTarget.TryGetValue(probeId, out var d) ? d : null;

    /// <summary>The least distance from any of <paramref name="blocks"/> to the target, or null when none reaches it.</summary>
    public int? Nearest(IEnumerable<int> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        int? best = null;
        foreach (var block in blocks)
            if (From(block) is { } d && (best is null || d < best))
                best = d;
        return best;
    }

    /// <summary>
    /// The blocks from which <paramref name="target"/> can be reached, nearest first, each once with its distance
    /// (Dijkstra backwards over <paramref name="predecessors"/>, from <see cref="Predecessors"/>). Lazy: a caller that
    /// stops early does not search the rest of the program.
    /// </summary>
    internal static IEnumerable<(int Block, int Distance)> Outward(Dictionary<int, List<(int From, int Cost)>> predecessors, int target)
    {
        var best = new Dictionary<int, int> { [target] = 0 };
        var queue = new PriorityQueue<int, int>();
        queue.Enqueue(target, 0);
        while (queue.TryDequeue(out var block, out var distance))
        {
            if (distance > best[block])
                continue; // a stale entry: the block was reached more cheaply since
            yield return (block, distance);
            if (!predecessors.TryGetValue(block, out var froms))
                continue;
            foreach (var (from, cost) in froms)
            {
                var candidate = distance + cost;
                if (best.TryGetValue(from, out var known) && known <= candidate)
                    continue;
                best[from] = candidate;
                queue.Enqueue(from, candidate);
            }
        }
    }

    /// <summary>The interprocedural graph reversed: for each block, the blocks with an edge into it and that edge's cost.</summary>
    internal static Dictionary<int, List<(int From, int Cost)>> Predecessors(BranchMap map, int callWeight)
    {
        var predecessors = new Dictionary<int, List<(int From, int Cost)>>();
        foreach (var block in map.Blocks)
        {
            foreach (var next in block.Successors)
                Add(predecessors, next, block.ProbeId, 1);
            foreach (var callee in block.Callees)
                Add(predecessors, callee, block.ProbeId, callWeight);
        }
        return predecessors;
    }

    private static void Add(Dictionary<int, List<(int, int)>> edges, int to, int from, int cost)
    {
        if (!edges.TryGetValue(to, out var list))
            edges[to] = list = [];
        list.Add((from, cost));
    }
}
