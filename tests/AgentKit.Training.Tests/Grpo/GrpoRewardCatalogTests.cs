using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Tests.Grpo;

public sealed class GrpoRewardCatalogTests
{
    [Fact]
    public void Names_without_weights_weigh_one_and_weights_follow_a_colon()
    {
        Assert.Equal([new RewardChoice("answer", 1), new RewardChoice("format", 1)], GrpoRewardCatalog.Parse("answer,format"));
        Assert.Equal([new RewardChoice("answer", 1), new RewardChoice("format", 0.1)], GrpoRewardCatalog.Parse(" answer:1 , format: 0.1"));
        Assert.Equal([new RewardChoice("answer_f1", -0.5)], GrpoRewardCatalog.Parse("answer_f1:-5e-1"));
    }

    [Fact]
    public void Every_built_in_name_builds_a_function_of_that_name()
    {
        var (functions, weights) = GrpoRewardCatalog.Build(string.Join(",", GrpoRewardCatalog.BuiltInNames));

        Assert.Equal(GrpoRewardCatalog.BuiltInNames, functions.Select(f => f.Name));
        Assert.All(weights, w => Assert.Equal(1, w));
        Assert.Equal(GrpoRewardCatalog.BuiltInNames.Order(), GrpoRewardCatalog.Meanings.Keys.Order());
    }

    [Fact]
    public void The_built_ins_score_as_their_names_say()
    {
        var (functions, _) = GrpoRewardCatalog.Build("answer,answer_exact,answer_f1,final_answer");
        var rollout = new Rollout
        {
            Task = new TrajectoryTask("t", "Capital of Peru?", "Lima"),
            TokenIds = [1, 2], PolicyMask = [false, true], SamplingLogProbs = [0, -1f], CompletionText = "lima", FinalAnswer = "lima",
        }.Validate();

        // Graded normalises case; exact does not.
        Assert.Equal([1.0, 0.0, 1.0, 1.0], functions.Select(f => f.Score(rollout).Value));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones_including_custom_functions()
    {
        var custom = new DelegateReward("short", r => r.PolicyTokenCount < 10 ? 1 : 0);

        var error = Assert.Throws<ArgumentException>(() => GrpoRewardCatalog.Build("answer,corect", [custom]));

        Assert.Equal("unknown reward 'corect'; known: answer, answer_exact, answer_normalized, answer_numeric, answer_f1, format, final_answer, short.", error.Message);
    }

    [Fact]
    public void A_custom_function_is_found_by_name_and_replaces_a_built_in_of_the_same_name()
    {
        var mine = new DelegateReward("answer", _ => 0.25);

        var (functions, weights) = GrpoRewardCatalog.Build("answer:2,format", [mine]);

        Assert.Same(mine, functions[0]);
        Assert.IsType<ActionFormatReward>(functions[1]);
        Assert.Equal([2.0, 1.0], weights);
    }

    [Theory]
    [InlineData("", "name at least one reward function")]
    [InlineData("answer,,format", "has an empty reward name")]
    [InlineData("answer:x", "the weight of reward 'answer' must be a number, got 'x'.")]
    [InlineData("answer:NaN", "the weight of reward 'answer' must be a number")]
    [InlineData("answer,answer:2", "reward 'answer' is named twice.")]
    public void Malformed_specs_are_refused_with_the_reason(string spec, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => GrpoRewardCatalog.Parse(spec));

        Assert.Contains(message, error.Message);
    }
}
