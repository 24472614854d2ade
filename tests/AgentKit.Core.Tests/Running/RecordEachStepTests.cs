using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Models;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;

namespace AgentKit.Core.Tests.Running;

/// <summary>
/// <see cref="AgentRunOptions.RecordEachStep"/> with the real JSONL writer and the real sandbox: the file holds every
/// finished step while the run is still going, and reads back as one run at the end.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RecordEachStepTests(SandboxFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-steps-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Every_finished_step_is_on_disk_before_the_next_one_starts()
    {
        var path = Path.Combine(_dir, "run.jsonl");
        using var writer = new JsonlTrajectoryWriter(path);
        var model = ScriptedCandidateGenerator.FromReplies(
            [AgentLoopTests.Act("first", "var x = 6;\nConsole.WriteLine(x);")],
            [AgentLoopTests.Act("second", "Console.WriteLine(x * 7);")],
            [AgentLoopTests.Act("answer", "FinalAnswer(x * 7);")]);
        var seenOnDisk = new List<int>();
        var progress = new SyncProgress(e =>
        {
            if (e is not StepStartedEvent started)
                return;
            if (started.Step == 1)
            {
                Assert.False(File.Exists(path)); // nothing has finished yet
                return;
            }
            // What a reader (or a crash) sees at this moment: the run with every step before this one.
            var read = JsonlTrajectoryReader.Read(path);
            Assert.Empty(read.Warnings);
            var record = Assert.Single(read.Records);
            Assert.True(UnfinishedRun.IsUnfinished(record));
            Assert.Equal(RunOutcome.Cancelled, record.Outcome);
            Assert.Null(record.Score);
            Assert.Equal(started.Step - 1, record.Steps.OfType<ActionStep>().Count());
            Assert.StartsWith($"unfinished: {started.Step - 1} action step(s) recorded", record.Error);
            seenOnDisk.Add(started.Step);
        });
        var agent = new Agent(AgentLoopTests.Definition(), model, fixture.Sandbox, [],
            new AgentRunOptions { Sink = writer, RecordEachStep = true, Progress = progress });

        var result = await agent.RunAsync(new TrajectoryTask("t", "6*7?", "42"), null);

        Assert.Equal([2, 3], seenOnDisk);
        Assert.Equal(3, File.ReadAllLines(path).Length); // two snapshots, then the finished run
        var final = Assert.Single(JsonlTrajectoryReader.Read(path).Records);
        Assert.Equal(result.Trajectory.RunId, final.RunId);
        Assert.Equal(RunOutcome.Answered, final.Outcome);
        Assert.False(UnfinishedRun.IsUnfinished(final));
        Assert.True(final.Score!.Correct);
        Assert.Equal(TrajectoryJson.Serialize(result.Trajectory), TrajectoryJson.Serialize(final));
    }

    [Fact]
    public async Task A_plan_is_recorded_as_soon_as_it_is_written()
    {
        var sink = new MemorySink();
        var model = ScriptedCandidateGenerator.FromReplies(
            ["1. compute the answer"],
            [AgentLoopTests.Act("answer", "FinalAnswer(42);")]);
        var agent = new Agent(AgentLoopTests.Definition(planning: 1), model, fixture.Sandbox, [], new AgentRunOptions { Sink = sink, RecordEachStep = true });

        await agent.RunAsync(new TrajectoryTask("t", "q?"), null);

        Assert.Equal(2, sink.Records.Count);
        Assert.IsType<PlanningStep>(sink.Records[0].Steps[^1]);
        Assert.StartsWith("unfinished: 0 action step(s)", sink.Records[0].Error);
        Assert.Equal(RunOutcome.Answered, sink.Records[1].Outcome);
    }

    [Fact]
    public async Task Without_the_option_only_the_finished_run_is_recorded()
    {
        var sink = new MemorySink();
        var model = ScriptedCandidateGenerator.FromReplies(
            [AgentLoopTests.Act("look", "Console.WriteLine(1);")],
            [AgentLoopTests.Act("answer", "FinalAnswer(1);")]);
        await new Agent(AgentLoopTests.Definition(), model, fixture.Sandbox, [], new AgentRunOptions { Sink = sink }).RunAsync("q?");
        Assert.Equal(RunOutcome.Answered, Assert.Single(sink.Records).Outcome);
    }

    private sealed class SyncProgress(Action<AgentEvent> report) : IProgress<AgentEvent>
    {
        public void Report(AgentEvent value) => report(value);
    }
}
