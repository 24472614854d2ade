using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Scoring;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Tests.Grpo.Rewards;

public sealed class RewardFunctionTests
{
    private static Rollout Made(string? answer, string? reference = "Paris", string completion = "", IReadOnlyList<RolloutAction>? actions = null) => new()
    {
        Task = new TrajectoryTask("q1", "capital?", reference),
        TokenIds = [1, 2, 3],
        PolicyMask = [false, true, true],
        SamplingLogProbs = [0, -1, -1],
        CompletionText = completion,
        FinalAnswer = answer,
        Actions = actions ?? [],
    };

    [Theory]
    [InlineData(AnswerMatch.Exact, "Paris", "Paris", 1)]
    [InlineData(AnswerMatch.Exact, "paris.", "Paris", 0)]
    [InlineData(AnswerMatch.Normalized, "The  PARIS!", "Paris", 1)]
    [InlineData(AnswerMatch.Normalized, "Lyon", "Paris", 0)]
    [InlineData(AnswerMatch.Numeric, "1,240", "1,234", 1)]
    [InlineData(AnswerMatch.Numeric, "1,300", "1,234", 0)]
    [InlineData(AnswerMatch.Numeric, "about 1234", "1234", 0)]
    [InlineData(AnswerMatch.Graded, "3.5 million", "3,500,000", 1)]
    [InlineData(AnswerMatch.Graded, "the eiffel tower", "Eiffel Tower", 1)]
    [InlineData(AnswerMatch.F1, "Paris, not Lyon", "Paris", 0.5)]
    [InlineData(AnswerMatch.F1, "Paris France", "Paris, France", 1)]
    [InlineData(AnswerMatch.F1, "Lyon", "Paris", 0)]
    public void Answer_match_compares_as_each_mode_defines(AnswerMatch match, string answer, string reference, double expected)
    {
        var result = new AnswerMatchReward(match).Score(Made(answer, reference));
        Assert.Equal(expected, result.Value, 6);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void F1_gives_partial_credit_from_word_overlap()
    {
        // answer words: river seine in paris (4); reference: paris (1); common 1 → P = 1/4, R = 1, F1 = 0.4.
        Assert.Equal(0.4, TokenF1.Compute("river Seine in Paris", "Paris"), 6);
        // Repeated words count once per occurrence on each side: P = 1/2, R = 1/1.
        Assert.Equal(2 * 0.5 * 1 / 1.5, TokenF1.Compute("Paris Paris", "Paris"), 6);
    }

    [Fact]
    public void Answer_match_scores_a_missing_answer_zero_and_refuses_a_task_without_reference()
    {
        Assert.Equal(new RewardResult(0, "no answer"), new AnswerMatchReward().Score(Made(null)));
        Assert.Contains("'q1' has no reference answer", Assert.Throws<InvalidOperationException>(() => new AnswerMatchReward().Score(Made("x", reference: null))).Message);
        Assert.Contains("not a number", Assert.Throws<InvalidOperationException>(() => new AnswerMatchReward(AnswerMatch.Numeric).Score(Made("4", "four"))).Message);
    }

    [Fact]
    public void Format_checks_the_completion_as_one_action_when_no_actions_are_recorded()
    {
        var format = new ActionFormatReward();
        var good = format.Score(Made(null, completion: "Thought: look it up\n```csharp\nvar x = Search(\"capital\");\n```"));
        Assert.Equal(new RewardResult(1, "1/1 parsed"), good);
        Assert.Equal(new RewardResult(0, "0/1 parsed"), format.Score(Made(null, completion: "The answer is Paris.")));
    }

    [Fact]
    public void Format_averages_parsed_compiled_and_ran_over_an_agent_runs_actions()
    {
        const string Code = "Thought: t\n```csharp\nFinalAnswer(\"Paris\");\n```";
        var rollout = Made("Paris", actions:
        [
            new RolloutAction(Code, Compiled: true, Ran: true),   // 3/3
            new RolloutAction(Code, Compiled: true, Ran: false),  // 2/3
            new RolloutAction("no code at all", Compiled: true),  // unparsed: 0/2, compiled cannot count
            new RolloutAction(Code),                             // only parsing known: 1/1
        ]);
        var result = new ActionFormatReward().Score(rollout);
        Assert.Equal((1 + 2.0 / 3 + 0 + 1) / 4, result.Value, 6);
        Assert.Equal("3/4 parsed, 2/3 compiled, 1/2 ran", result.Reason);
    }

    [Fact]
    public void Final_answer_present_rewards_any_non_blank_answer()
    {
        var reward = new FinalAnswerPresentReward();
        Assert.Equal(1, reward.Score(Made("anything")).Value);
        Assert.Equal(0, reward.Score(Made("  ")).Value);
        Assert.Equal(0, reward.Score(Made(null)).Value);
    }

    [Fact]
    public void A_delegate_reward_runs_the_users_code_with_its_reason()
    {
        var length = new DelegateReward("short", r => new RewardResult(r.CompletionText.Length <= 5 ? 1 : 0, $"{r.CompletionText.Length} chars"));
        Assert.Equal(new RewardResult(1, "4 chars"), length.Score(Made(null, completion: "abcd")));
        var valueOnly = new DelegateReward("tokens", r => r.PolicyTokenCount);
        Assert.Equal(new RewardResult(2, "2"), valueOnly.Score(Made(null)));
        Assert.Throws<ArgumentException>(() => new DelegateReward(" ", _ => 0.0));
    }
}
