using AgentKit.Abstractions.Execution;
using AgentKit.Core.Actions;
using AgentKit.Core.SelfConsistency;

namespace AgentKit.Core.Running;

/// <summary>
/// Runs a step's parsed candidates in the session and commits the chosen one. One runnable candidate runs
/// with <see cref="ICodeSession.ExecuteAsync"/>; several run isolated from the same state with
/// <see cref="ICodeSession.TryCandidatesAsync"/>, are voted on, and the winner's state is committed.
/// </summary>
internal static class CandidateExecutor
{
    public static async Task<(IReadOnlyList<CandidateOutcome> Outcomes, CandidateVote Vote)> RunAsync(
        ICodeSession session, IReadOnlyList<ParsedAction> parses, CancellationToken cancellationToken)
    {
        var runnable = Enumerable.Range(0, parses.Count).Where(i => parses[i].Succeeded).ToList();
        var executions = new ExecutionResult?[parses.Count];

        if (runnable.Count == 1)
        {
            executions[runnable[0]] = await session.ExecuteAsync(parses[runnable[0]].Code!, cancellationToken).ConfigureAwait(false);
        }
        else if (runnable.Count > 1)
        {
            var results = await session.TryCandidatesAsync(runnable.Select(i => parses[i].Code!).ToList(), cancellationToken).ConfigureAwait(false);
            if (results.Count != runnable.Count)
                throw new InvalidOperationException($"The sandbox returned {results.Count} results for {runnable.Count} candidates.");
            for (var k = 0; k < runnable.Count; k++)
                executions[runnable[k]] = results[k];
        }

        var outcomes = parses.Select((p, i) => new CandidateOutcome(p, executions[i])).ToList();
        var vote = CandidateVoter.Vote(outcomes);
        if (runnable.Count > 1 && parses[vote.ChosenIndex].Succeeded)
        {
            // Committing carries out the side effects held back during the try; what the agent observes is that.
            var committed = await session.CommitCandidateAsync(runnable.IndexOf(vote.ChosenIndex), cancellationToken).ConfigureAwait(false);
            outcomes[vote.ChosenIndex] = outcomes[vote.ChosenIndex] with { Execution = committed };
        }
        return (outcomes, vote);
    }
}
