using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Cli.Commands;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Cli.Tests;

/// <summary>The <c>atlas</c> GRPO reward: 1 or 0 as the atlas scorer grades the answer, with a reason a person can check.</summary>
public sealed class AtlasGrpoRewardTests
{
    private static readonly IRewardFunction s_reward = AtlasGrpoReward.Create(new AtlasQuestionScorer(
    [
        new AtlasQuestion
        {
            Id = "gap", Question = "How many years are there between Peru's independence and Chile's?", Answer = "11", Family = QuestionFamilies.Arithmetic,
            Split = QuestionSplits.Train, Entities = ["Peru", "Chile"], Kind = "independence-gap", Template = "arithmetic.gap.r0", Tolerance = 0,
        },
        new AtlasQuestion
        {
            Id = "fake", Question = "I need the capital of Zubrovia.", Answer = "not found", Family = QuestionFamilies.Bad,
            Split = QuestionSplits.Train, Entities = [], Kind = "bad-fake-country", Template = "lookup.g1",
        },
    ]));

    private static RewardResult Score(string taskId, string? answer) => s_reward.Score(new Rollout
    {
        Task = new TrajectoryTask(taskId, "question", "11"), TokenIds = [1, 2], PolicyMask = [false, true], SamplingLogProbs = [0, -0.5f], FinalAnswer = answer,
    });

    [Theory]
    [InlineData("gap", "11", 1, "correct")]
    [InlineData("gap", "12", 0, "wrong: got 12")] // years are exact: the answer reward's 1% would accept 11.1
    [InlineData("gap", "11.1", 0, "wrong: got 11.1")]
    [InlineData("gap", "  ", 0, "no answer")]
    [InlineData("fake", "Not found.", 1, "correct")]
    [InlineData("fake", "Lima", 0, "wrong: got Lima")]
    [InlineData("other", "11", 0, "task not in the atlas question file")]
    public void Scores_each_answer_with_a_reason(string taskId, string? answer, double value, string reason)
    {
        Assert.Equal("atlas", s_reward.Name);
        Assert.Equal(new RewardResult(value, reason), Score(taskId, answer));
    }

    [Fact]
    public void A_long_answer_is_shortened_in_the_reason()
    {
        var reason = Score("gap", new string('x', 500) + "\nsecond line").Reason;
        Assert.StartsWith("wrong: got xxx", reason);
        Assert.EndsWith("…", reason);
        Assert.True(reason.Length < 100, reason);
    }

    [Fact]
    public void The_step_reward_needs_an_agent_run_and_grades_comparisons_only()
    {
        var step = AtlasGrpoReward.CreateStep(new AtlasQuestionScorer(
        [
            new AtlasQuestion
            {
                Id = "cmp", Question = "Which is more populous, Chad or Peru?", Answer = "Peru", Family = QuestionFamilies.Comparison, Split = QuestionSplits.Train,
                Entities = ["Chad", "Peru"], Kind = "comparison", Template = "t", Params = new Dictionary<string, string> { ["fact"] = "population", ["direction"] = "max" },
            },
            new AtlasQuestion { Id = "gap", Question = "q", Answer = "11", Family = QuestionFamilies.Arithmetic, Split = QuestionSplits.Train, Entities = [], Kind = "gap", Template = "t" },
        ]));
        TrajectoryRecord Run(string id, string observation) => new()
        {
            RunId = "r", StartedAt = DateTimeOffset.UnixEpoch, Task = new TrajectoryTask(id, "q", null), Agent = new AgentSnapshot("atlas", "", [], 6, 0, 2000),
            Model = new("scripted", "scripted"), Sampling = new(1, 1f, 1f, 1, 64, false), Outcome = RunOutcome.Answered,
            Steps = [new ActionStep { Step = 1, Prompt = [], Candidates = [], ChosenIndex = 0, Action = "", Observation = observation, IsError = false, Usage = new(0, 0, 0) }],
        };
        RewardResult Score(string id, TrajectoryRecord? run) => step.Score(new Rollout
        {
            Task = new TrajectoryTask(id, "q", null), TokenIds = [1, 2], PolicyMask = [false, true], SamplingLogProbs = [0, -0.5f], Trajectory = run,
        });

        Assert.Equal("atlas-step", step.Name);
        Assert.Equal(1, Score("cmp", Run("cmp", "Chad: 17723315, Peru: 32971854; larger: Peru")).Value);
        Assert.Equal(0.5, Score("cmp", Run("cmp", "Chad: 17723315, Peru: 32971854; larger: Chad")).Value);
        Assert.Equal(new RewardResult(0, "not an agent run (train with --agent)"), Score("cmp", null));
        Assert.Equal(new RewardResult(0, "not a comparison"), Score("gap", Run("gap", "11")));
    }
}
