using AgentKit.Abstractions.Execution;
using AgentKit.Core.Actions;

namespace AgentKit.Core.SelfConsistency;

/// <summary>A sampled candidate with its parse and, when it parsed, its execution result.</summary>
/// <param name="Parse">What the parser read.</param>
/// <param name="Execution">The execution result; null when the candidate did not parse.</param>
public sealed record CandidateOutcome(ParsedAction Parse, ExecutionResult? Execution)
{
    /// <summary>Parsed and ran without error.</summary>
    public bool IsValid => Parse.Succeeded && Execution is { Succeeded: true };
}
