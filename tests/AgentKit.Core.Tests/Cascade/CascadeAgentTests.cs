using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Cascade;
using AgentKit.Core.Models;
using AgentKit.Core.Running;
using AgentKit.Core.Tests.Running;
using AgentKit.Core.Trajectories;

namespace AgentKit.Core.Tests.Cascade;

/// <summary>A cascade inside the real loop and sandbox: deferred steps are recorded with who produced them and become SFT data.</summary>
[Collection(SandboxCollection.Name)]
public class CascadeAgentTests(SandboxFixture fixture)
{
    [Fact]
    public async Task Deferred_steps_are_recorded_and_exported_as_the_only_trained_turns()
    {
        // The student computes confidently, then hesitates over the answer; the teacher answers instead.
        var student = new ScriptedCandidateGenerator((_, i) => i switch
        {
            0 => [AgentLoopTests.Act("compute", "var x = 6 * 7;\nConsole.WriteLine(x);")],
            _ => [AgentLoopTests.Act("maybe", "FinalAnswer(x + 1);")],
        }, "student") { WordLogprob = w => w == "maybe" ? -5 : -0.02 };
        var teacher = new ScriptedCandidateGenerator((_, _) => [AgentLoopTests.Act("answer", "FinalAnswer(x);")], "teacher");
        var cascade = new CascadeCandidateGenerator(student, teacher, DeferralRuleSpec.Parse("min:2"));
        var sink = new MemorySink();
        var agent = new Agent(AgentLoopTests.Definition(), cascade, fixture.Sandbox, [], new AgentRunOptions { Sink = sink });

        var result = await agent.RunAsync(new TrajectoryTask("t1", "What is 6*7?", "42"), null);

        Assert.Equal("42", result.FinalAnswer);
        var steps = result.Steps.OfType<ActionStep>().ToList();
        Assert.Equal([false, true], steps.Select(s => s.Cascade!.Deferred));
        Assert.Equal(["student", "teacher"], steps.Select(s => s.Cascade!.ProducedBy));
        Assert.Equal("min", steps[1].Cascade!.Rule);
        Assert.Equal("student+teacher", sink.Records.Single().Model.Name);

        var all = SftExporter.ToExample(result.Trajectory)!;
        var deferred = SftExporter.ToExample(result.Trajectory, deferredOnly: true)!;
        Assert.Equal(2, all.Messages.Count(m => m.Weight == 1));
        var trained = Assert.Single(deferred.Messages, m => m.Weight == 1);
        Assert.Contains("FinalAnswer(x);", trained.Content);
        Assert.Equal(all.Messages.Select(m => m.Content), deferred.Messages.Select(m => m.Content));

        var samples = DeferralSample.From(sink.Records).ToList();
        var sample = Assert.Single(samples); // the student's own step; the deferred one was not the student's answer
        Assert.False(sample.Failed);
    }

    [Fact]
    public async Task A_run_without_deferred_steps_gives_no_active_distillation_example()
    {
        var student = new ScriptedCandidateGenerator((_, _) => [AgentLoopTests.Act("answer", "FinalAnswer(1);")], "student") { WordLogprob = _ => -0.01 };
        var cascade = new CascadeCandidateGenerator(student, ScriptedCandidateGenerator.FromReplies(), DeferralRuleSpec.Parse("total:100"));
        var agent = new Agent(AgentLoopTests.Definition(), cascade, fixture.Sandbox, [], new AgentRunOptions());

        var result = await agent.RunAsync(new TrajectoryTask("t2", "Say 1", "1"), null);

        Assert.NotNull(SftExporter.ToExample(result.Trajectory));
        Assert.Null(SftExporter.ToExample(result.Trajectory, deferredOnly: true));
    }
}
