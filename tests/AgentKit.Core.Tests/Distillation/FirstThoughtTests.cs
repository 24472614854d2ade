using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Distillation;
using AgentKit.Core.Models;
using AgentKit.Core.Tests.Trajectories;
using AgentKit.Core.Trajectories;
using AgentKit.Core.Tests.Running;

namespace AgentKit.Core.Tests.Distillation;

public class FirstThoughtTests
{
    [Theory]
    [InlineData("Thought: Lima is the capital.\nIt is in Peru.\n\nSo the answer is Lima.", "Lima is the capital.\nIt is in Peru.")]
    [InlineData("\n\n  First.  \r\n\r\nSecond.", "First.")]
    [InlineData("   ", null)]
    [InlineData("Thought:", null)]
    public void Keeps_the_first_paragraph(string text, string? expected) =>
        Assert.Equal(expected, FirstThought.FirstParagraph(text));

    [Fact]
    public async Task Asks_the_teacher_in_plain_chain_of_thought()
    {
        var teacher = ScriptedCandidateGenerator.FromReplies(["Peru's capital is Lima.\n\nAnswer: Lima"]);
        var prefix = await FirstThought.GetAsync(teacher, "Capital of Peru?", 0.5f, 3, 128);
        Assert.Equal("Peru's capital is Lima.", prefix);
        var request = Assert.Single(teacher.Requests);
        Assert.Null(request.Grammar);
        Assert.Equal(1, request.N);
        Assert.Equal(FirstThought.ChainOfThoughtInstructions, request.Messages![0].Text);
        Assert.Equal("Capital of Peru?", request.Messages[1].Text);
    }

    [Fact]
    public async Task Filtering_sink_keeps_only_correct_runs()
    {
        var inner = new MemorySink();
        var sink = FilteringTrajectorySink.CorrectOnly(inner);
        await sink.WriteAsync(SampleTrajectory.Create("good"));
        await sink.WriteAsync(SampleTrajectory.Create("bad") with { Score = new TrajectoryScore(false, "exact") });
        await sink.WriteAsync(SampleTrajectory.Create("unscored") with { Score = null });
        Assert.Equal(["good"], inner.Records.Select(r => r.RunId));
        Assert.Equal((1, 2), (sink.Kept, sink.Dropped));
    }
}
