using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Atlas.Teacher;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

/// <summary><see cref="ComparisonStepCheck"/>: a comparison's deciding step graded on its label and its pick, apart from the answer.</summary>
[Collection(AtlasCollection.Name)]
public sealed class ComparisonStepCheckTests(AtlasFixture atlas, TeachingFixture real) : IClassFixture<TeachingFixture>
{
    private static AtlasQuestion Comparison(string direction) => new()
    {
        Id = "c", Question = "Which country has the larger population, Chad or Peru?", Answer = "Peru",
        Family = QuestionFamilies.Comparison, Split = QuestionSplits.Train, Entities = ["Chad", "Peru"], Kind = "comparison",
        Template = "test", Params = new Dictionary<string, string> { ["fact"] = "population", ["direction"] = direction },
    };

    [Fact]
    public async Task The_teachers_runs_pass_both_checks_for_every_fact_and_direction()
    {
        var questions = atlas.Questions.Where(q => q.Family == QuestionFamilies.Comparison)
            .GroupBy(q => (q.Param("fact"), q.Param("direction"))).Select(g => g.First()).ToList();
        Assert.Equal(6, questions.Count); // area, population, independence × larger/smaller
        var sink = new MemorySink();

        await new TeachingRun(real.Definition, real.Sandbox, real.Tools).RunAsync(questions, sink, parallelism: 2);

        foreach (var run in sink.Records)
        {
            var grade = ComparisonStepCheck.Grade(questions.Single(q => q.Id == run.Task.Id), run);
            Assert.NotNull(grade);
            Assert.True(grade.Score == 1, $"{run.Task.Question}: {grade.Reason}");
        }
    }

    [Theory]
    // Peru has more people: "larger: Peru" is right on both counts.
    [InlineData("max", "Chad: 17723315, Peru: 32971854; larger: Peru", true, true)]
    // The operator contradicts the name: the label is right, the pick is the smaller one.
    [InlineData("max", "Chad: 17723315, Peru: 32971854; larger: Chad", true, false)]
    // The wrong direction, consistently computed.
    [InlineData("max", "Chad: 17723315, Peru: 32971854; smaller: Chad", false, true)]
    // Two wrongs: the answer (Peru) is right, yet neither check passes.
    [InlineData("max", "Chad: 17723315, Peru: 32971854; smaller: Peru", false, false)]
    [InlineData("min", "Chad: 17723315, Peru: 32971854; smaller: Chad", true, true)]
    [InlineData("min", "Chad: 1960, Peru: 1821; earlier: Chad", true, false)]
    // Names with commas and decimals still parse.
    [InlineData("max", "Korea, Republic of: 100.5, Peru: 99.25; larger: Korea, Republic of", true, true)]
    public void Label_and_pick_are_graded_apart(string direction, string observation, bool directionRight, bool consistent)
    {
        var grade = ComparisonStepCheck.Grade(Comparison(direction), Run((observation, false)));

        Assert.NotNull(grade);
        Assert.Equal((directionRight, consistent), (grade.DirectionRight, grade.PickConsistent));
        Assert.Equal((directionRight ? 0.5 : 0) + (consistent ? 0.5 : 0), grade.Score);
    }

    [Fact]
    public void Error_steps_are_skipped_and_a_run_that_never_printed_a_pick_scores_zero()
    {
        var question = Comparison("max");

        var afterError = ComparisonStepCheck.Grade(question, Run(("Chad: 1, Peru: 2; larger: Chad", true), ("Chad: 1, Peru: 2; larger: Peru", false)));
        var none = ComparisonStepCheck.Grade(question, Run(("Final answer: Peru", false)));
        var stranger = ComparisonStepCheck.Grade(question, Run(("Chad: 1, Peru: 2; larger: Mali", false)));

        Assert.Equal(1, afterError!.Score);
        Assert.Equal(0, none!.Score);
        Assert.Contains("no step printed", none.Reason);
        Assert.False(stranger!.PickConsistent);
    }

    [Fact]
    public void Other_families_are_not_graded() =>
        Assert.Null(ComparisonStepCheck.Grade(Comparison("max") with { Family = QuestionFamilies.Lookup }, Run(("Chad: 1, Peru: 2; larger: Peru", false))));

    private static TrajectoryRecord Run(params (string Observation, bool IsError)[] steps) => new()
    {
        RunId = "r", StartedAt = DateTimeOffset.UnixEpoch, Task = new TrajectoryTask("c", "q", "Peru"),
        Agent = new AgentSnapshot("atlas", "", [], 6, 0, 2000), Model = new ModelIdentity("scripted", "scripted"),
        Sampling = new SamplingSettings(1, 1f, 1f, 1, 64, false), Outcome = RunOutcome.Answered,
        Steps =
        [
            new TaskStep("q"),
            .. steps.Select((s, i) => (AgentStep)new ActionStep
            {
                Step = i + 1, Prompt = [], Candidates = [], ChosenIndex = 0, Action = "", Observation = s.Observation,
                IsError = s.IsError, Usage = new ModelUsage(0, 0, 0),
            }),
        ],
    };
}
