using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Models;
using AgentKit.Core.Tests.Running;

namespace AgentKit.Core.Tests.SelfConsistency;

/// <summary>Self-consistent action generation with the real sandbox: isolation, voting, commit.</summary>
[Collection(SandboxCollection.Name)]
public class SelfConsistencyTests(SandboxFixture fixture)
{
    private static string Act(string code) => AgentLoopTests.Act("t", code);

    [Fact]
    public async Task Majority_output_wins_and_only_the_winners_state_is_kept()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [
                Act("var log = new List<string> { \"a\" };\nvar x = 7;\nConsole.WriteLine(x + \" \" + log.Count);"),
                Act("var log = new List<string> { \"b\" };\nvar x = 8;\nConsole.WriteLine(x + \" \" + log.Count);"),
                "no code here",
                Act("var log = new List<string> { \"c\" };\nvar x = 8;\nConsole.WriteLine(x + \" \" + log.Count);"),
                Act("var x = ;"),
            ],
            [Act("FinalAnswer(x + \":\" + string.Join(\",\", log));")]);
        var definition = AgentLoopTests.Definition(candidates: 5);

        var result = await new Agent(definition, model, fixture.Sandbox, []).RunAsync("vote");

        var step = result.Steps.OfType<ActionStep>().First();
        Assert.Equal(5, model.Requests[0].N);
        Assert.Equal(1, step.ChosenIndex); // "8 1" twice beats "7 1" once; ties go to the earliest
        Assert.Equal([1, 2, 0, 2, 0], step.Candidates.Select(c => c.Votes));
        Assert.Equal([false, true, false, false, false], step.Candidates.Select(c => c.Chosen));
        // Isolation: each candidate saw a fresh state (its list has one item), whatever the others did.
        Assert.Equal(["7 1", "8 1", null, "8 1", ""], step.Candidates.Select(c => c.Output?.Trim()));
        Assert.Null(step.Candidates[2].Status);
        Assert.Equal(ExecutionStatus.CompileError, step.Candidates[4].Status);
        Assert.Equal("8 1", step.Observation);
        // The committed state is candidate 1's.
        Assert.Equal("8:b", result.FinalAnswer);
        Assert.Equal(1, result.Steps.OfType<ActionStep>().Last().Candidates.Count(c => c.Chosen));
    }

    [Fact]
    public async Task With_no_valid_candidate_the_first_parsed_ones_error_is_the_observation()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            ["nothing", Act("throw new InvalidOperationException(\"first\");"), Act("throw new InvalidOperationException(\"second\");")],
            ["no", "no", "no"],
            ["5"]);
        var definition = AgentLoopTests.Definition(maxSteps: 2, candidates: 3);

        var result = await new Agent(definition, model, fixture.Sandbox, []).RunAsync("fail");

        var steps = result.Steps.OfType<ActionStep>().ToList();
        Assert.Equal(1, steps[0].ChosenIndex);
        Assert.True(steps[0].IsError);
        Assert.Contains("first", steps[0].Observation);
        Assert.All(steps[0].Candidates, c => Assert.Equal(0, c.Votes));
        Assert.Equal(0, steps[1].ChosenIndex); // nothing parsed: the first candidate's parse error
        Assert.StartsWith("Error: no code block", steps[1].Observation);
        Assert.Equal(RunOutcome.StepLimit, result.Outcome);
        Assert.Equal("5", result.FinalAnswer);
    }

    [Fact]
    public async Task A_final_answer_chosen_by_vote_ends_the_run()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [Act("FinalAnswer(41 + 1);"), Act("FinalAnswer(6 * 7);"), Act("FinalAnswer(40);")]);

        var result = await new Agent(AgentLoopTests.Definition(candidates: 3), model, fixture.Sandbox, []).RunAsync("42?");

        Assert.Equal("42", result.FinalAnswer);
        Assert.Equal([2, 2, 1], result.Steps.OfType<ActionStep>().Single().Candidates.Select(c => c.Votes));
    }
}
