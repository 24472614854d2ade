namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// A coverage-slicing question about one frontier branch: the code that decides it, the corpus input that gets closest,
/// and what to do (write an input that takes the branch). Written one per line by <see cref="FrontierQuestionFile"/>.
/// </summary>
/// <param name="TargetId">Probe id of the uncovered block to reach.</param>
/// <param name="Method">Full name of the method holding the branch.</param>
/// <param name="Slice">Decompiled C#, the deciding statement marked with <see cref="CodeSlicer.Marker"/>.</param>
/// <param name="Seed">The closest corpus input: its text when it is valid UTF-8, otherwise base64 (see <paramref name="SeedIsBase64"/>).</param>
/// <param name="SeedIsBase64">True when <paramref name="Seed"/> is base64 of bytes that are not valid UTF-8.</param>
/// <param name="SeedDistance">Branch distance from the seed's covered blocks to the target (see <see cref="BranchDistance"/>).</param>
/// <param name="Instruction">What the answerer is asked to do.</param>
/// <param name="UncoveredBehind">Uncovered blocks reachable from the target without passing a covered block (what taking the branch opens up).</param>
public sealed record FrontierQuestion(int TargetId, string Method, string Slice, string Seed, bool SeedIsBase64, int SeedDistance, string Instruction,
    int UncoveredBehind)
{
    /// <summary>The seed's bytes.</summary>
    public byte[] SeedBytes() => SeedIsBase64 ? Convert.FromBase64String(Seed) : System.Text.Encoding.UTF8.GetBytes(Seed);
}
