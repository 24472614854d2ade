using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;

namespace AgentKit.Hosting.Tests;

/// <summary>The library behind <c>agentkit run</c>: the example agent on a tiny random GGUF, through the real sandbox.</summary>
public sealed class AgentRunTests
{
    [Fact]
    public async Task One_question_is_run_reported_and_recorded_with_its_events()
    {
        var trajectory = TinyModels.TempPath("run.jsonl");
        var settings = new AgentHostSettings { AgentFolder = RepoFiles.ExampleAgent, ModelPath = TinyModels.RandomLlamaPath(), MaxSteps = 1, Threads = 2, ContextSize = 4096 };
        var events = new List<AgentEvent>();

        var report = await AgentRun.RunAsync(settings, "Which river flows through Lyon?", trajectory, new ListProgress(events));

        Assert.Equal((nameof(RunOutcome.StepLimit), 1), (report.Outcome, report.Steps));
        Assert.Equal(Path.GetFullPath(trajectory), Path.GetFullPath(report.Trajectory));
        Assert.NotEmpty(events);
        var recorded = Assert.Single(JsonlTrajectoryReader.Read(trajectory).Records);
        Assert.Equal((report.RunId, "Which river flows through Lyon?"), (recorded.RunId, recorded.Task.Question));
        Assert.True(report.PromptTokens > 0 && report.CompletionTokens > 0);
    }

    [Fact]
    public async Task An_empty_question_is_refused_and_the_default_file_is_named_by_agent_and_utc_time()
    {
        var settings = new AgentHostSettings { AgentFolder = RepoFiles.ExampleAgent, ModelPath = TinyModels.RandomLlamaPath() };

        await Assert.ThrowsAsync<ArgumentException>(() => AgentRun.RunAsync(settings, " ", null, null));
        Assert.Equal(Path.Combine("runs", "atlas-20260102-030405.jsonl"),
            AgentRun.DefaultTrajectoryPath("atlas", new FixedTime(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero))));
    }

    private sealed class ListProgress(List<AgentEvent> events) : IProgress<AgentEvent>
    {
        public void Report(AgentEvent value) => events.Add(value);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
