using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// A branch the campaign has not taken yet: <paramref name="From"/> is covered, its CFG successor
/// <paramref name="Target"/> is not. Carries the IL locations a question about the branch (decompiled slice,
/// method name) is built from.
/// </summary>
/// <param name="From">The covered block whose outgoing branch is untaken.</param>
/// <param name="Target">The uncovered successor block: the goal of a distance reward.</param>
public sealed record FrontierBranch(BranchBlock From, BranchBlock Target);
