using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Tells inputs the parser rejected at its first stage (the lexer threw, the header was wrong) from inputs that got
/// past it: an input passed when it executed any of the gate blocks, typically the entry blocks of the second stage.
/// </summary>
public sealed class FirstStageGate
{
    private readonly HashSet<int> _blocks;

    /// <summary>A gate made of the probe blocks <paramref name="secondStageBlocks"/>.</summary>
    /// <exception cref="ArgumentException">No blocks: every input would count as rejected.</exception>
    public FirstStageGate(IEnumerable<int> secondStageBlocks)
    {
        ArgumentNullException.ThrowIfNull(secondStageBlocks);
        _blocks = secondStageBlocks.ToHashSet();
        if (_blocks.Count == 0)
            throw new ArgumentException("a first-stage gate needs at least one second-stage block", nameof(secondStageBlocks));
    }

    /// <summary>The gate made of the entry blocks of the methods whose full name contains <paramref name="secondStageMethod"/>.</summary>
    /// <exception cref="ArgumentException">No method of <paramref name="map"/> matches.</exception>
    public static FirstStageGate AtMethodEntry(BranchMap map, string secondStageMethod)
    {
        ArgumentNullException.ThrowIfNull(map);
        var entries = map.InMethod(secondStageMethod).Where(b => b.BlockIndex == 0).Select(b => b.ProbeId).ToList();
        if (entries.Count == 0)
            throw new ArgumentException($"no instrumented method matches '{secondStageMethod}'", nameof(secondStageMethod));
        return new FirstStageGate(entries);
    }

    /// <summary>True when <paramref name="blocks"/> (an input's coverage) include a gate block.</summary>
    public bool Passed(IReadOnlySet<int> blocks) => _blocks.Overlaps(blocks);
}
