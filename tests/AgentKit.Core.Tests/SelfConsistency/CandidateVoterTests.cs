using AgentKit.Abstractions.Execution;
using AgentKit.Core.Actions;
using AgentKit.Core.SelfConsistency;

namespace AgentKit.Core.Tests.SelfConsistency;

public class CandidateVoterTests
{
    private static CandidateOutcome Ok(string output, string? finalAnswer = null) =>
        new(ParsedAction.Success("t", "code"), new ExecutionResult { Status = ExecutionStatus.Ok, Output = output, FinalAnswer = finalAnswer });

    private static CandidateOutcome Failed(string error) =>
        new(ParsedAction.Success("t", "code"), new ExecutionResult { Status = ExecutionStatus.RuntimeError, Error = error });

    private static CandidateOutcome Unparsed() => new(ParsedAction.Failure("Error: no code block found."), null);

    [Fact]
    public void Majority_output_wins_after_trimming()
    {
        var vote = CandidateVoter.Vote([Ok("7"), Ok("8\n"), Ok(" 8 "), Failed("boom")]);
        Assert.Equal(1, vote.ChosenIndex);
        Assert.Equal([1, 2, 2, 0], vote.Votes);
        Assert.True(vote.AnyValid);
    }

    [Fact]
    public void Ties_go_to_the_earliest_valid_candidate()
    {
        var vote = CandidateVoter.Vote([Unparsed(), Ok("a"), Ok("b"), Ok("b"), Ok("a")]);
        Assert.Equal(1, vote.ChosenIndex);
    }

    [Fact]
    public void Final_answer_is_part_of_the_outcome()
    {
        var vote = CandidateVoter.Vote([Ok("x", "1"), Ok("x", "2"), Ok("x", "2")]);
        Assert.Equal(1, vote.ChosenIndex);
        Assert.Equal([1, 2, 2], vote.Votes);
    }

    [Fact]
    public void Without_valid_candidates_the_first_parsed_one_is_chosen()
    {
        var vote = CandidateVoter.Vote([Unparsed(), Failed("x"), Failed("y")]);
        Assert.Equal(1, vote.ChosenIndex);
        Assert.False(vote.AnyValid);
        Assert.All(vote.Votes, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Without_any_parsed_candidate_the_first_is_chosen()
    {
        var vote = CandidateVoter.Vote([Unparsed(), Unparsed()]);
        Assert.Equal(0, vote.ChosenIndex);
        Assert.False(vote.AnyValid);
    }

    [Fact]
    public void Empty_input_is_an_error() =>
        Assert.Throws<ArgumentException>(() => CandidateVoter.Vote([]));
}
