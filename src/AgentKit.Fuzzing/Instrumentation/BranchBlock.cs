namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>
/// One basic block of instrumented IL that starts with a SharpFuzz probe: the unit the branch map, the frontier and
/// the distance reward reason about.
/// </summary>
/// <param name="ProbeId">Id of the probe that starts the block (its cell in a block-mode coverage map).</param>
/// <param name="Assembly">File name of the instrumented assembly.</param>
/// <param name="Method">Full name of the method (dnlib's <c>FullName</c>).</param>
/// <param name="BlockIndex">Index of the block in its method, in IL order (0 is the entry block).</param>
/// <param name="StartOffset">IL offset of the block's first instruction (the probe), in the instrumented body.</param>
/// <param name="EndOffset">IL offset just past the block's last instruction (probeless blocks it falls into are not included).</param>
/// <param name="Successors">Probe ids of the blocks control can reach next in the same method (CFG successors).</param>
/// <param name="Callees">Probe ids of the entry blocks of instrumented methods this block calls.</param>
public sealed record BranchBlock(int ProbeId, string Assembly, string Method, int BlockIndex, uint StartOffset, uint EndOffset,
    IReadOnlyList<int> Successors, IReadOnlyList<int> Callees);
