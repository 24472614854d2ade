using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Finds the seed of a question, the corpus input closest to a target block (<see cref="BranchDistance"/>), without
/// measuring every input against every frontier branch: that was 58 of the 70 s it took to ask 32 questions of a 60 s
/// AngleSharp campaign (645 branches × 4 244 inputs × their blocks), and it ran again in every model round. Built once
/// per corpus: which inputs cover each block, and the interprocedural graph reversed. A query searches backwards from
/// the target (Dijkstra, as <see cref="BranchDistance"/> does) and stops at the first distance at which a covering
/// input fits the seed budget, so it reads the blocks next to the target, not the whole program.
/// </summary>
internal sealed class SeedIndex
{
    private readonly Dictionary<int, List<(int From, int Cost)>> _predecessors;
    private readonly Dictionary<int, List<int>> _inputsByBlock = new();
    private readonly IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> _corpus;

    /// <summary>Indexes <paramref name="corpus"/> (each input with the probe blocks it covers) over the graph of <paramref name="map"/>.</summary>
    public SeedIndex(BranchMap map, IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> corpus, int callWeight)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(corpus);
        _predecessors = BranchDistance.Predecessors(map, callWeight);
        _corpus = corpus;
        for (var i = 0; i < corpus.Count; i++)
            foreach (var block in corpus[i].Blocks)
            {
                if (!_inputsByBlock.TryGetValue(block, out var inputs))
                    _inputsByBlock[block] = inputs = [];
                inputs.Add(i); // ascending: the inputs are added in corpus order
            }
    }

    /// <summary>
    /// The closest input to <paramref name="target"/> among the first <paramref name="limit"/> of the corpus, and its
    /// distance: the closest within <paramref name="seedBudget"/> bytes when any input that reaches the target fits it,
    /// else the closest of all; on a tie the shorter input, then the earlier. Null when no input reaches the target.
    /// </summary>
    public (int Index, int Distance)? Closest(int target, int? seedBudget, int limit = int.MaxValue)
    {
        (int Distance, int Length, int Index)? best = null, fitting = null;
        foreach (var (block, distance) in BranchDistance.Outward(_predecessors, target))
        {
            if (fitting is { } found && distance > found.Distance)
                break; // every block from here on is farther than an input that fits
            if (!_inputsByBlock.TryGetValue(block, out var inputs))
                continue;
            foreach (var index in inputs)
            {
                if (index >= limit)
                    break;
                var candidate = (distance, _corpus[index].Input.Length, index);
                if (best is null || candidate.CompareTo(best.Value) < 0)
                    best = candidate;
                if (seedBudget is not { } budget || candidate.Length <= budget)
                    if (fitting is null || candidate.CompareTo(fitting.Value) < 0)
                        fitting = candidate;
            }
        }
        return (fitting ?? best) is { } chosen ? (chosen.Index, chosen.Distance) : null;
    }
}
