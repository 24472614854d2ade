using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Distillation;
using AgentKit.Core.Models;
using AgentKit.Core.Running;
using AgentKit.Core.Tasks;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting.Evaluation;
using AgentKit.TestUtils;

namespace AgentKit.Hosting.Tests.Evaluation;

/// <summary>
/// The resumable recorder behind <c>agentkit record</c>: the example agent's real tools and sandbox, driven by a scripted
/// teacher whose answer per task is known (right, wrong, unparsable, failing), so keeping, dropping and resuming can be checked.
/// </summary>
public sealed class TrajectoryRecorderTests(TrajectoryRecorderTests.HostFixture host) : IClassFixture<TrajectoryRecorderTests.HostFixture>
{
    /// <summary>The example agent's tools and a sandbox, opened once (no model: the tests bring a scripted teacher).</summary>
    public sealed class HostFixture : IAsyncLifetime
    {
        public AgentHost Host { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Host = await AgentHost.OpenAsync(new AgentHostSettings { AgentFolder = RepoFiles.ExampleAgent, OpenModel = false, TimeoutMs = 20000 });

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private static string Act(string code) => $"Thought: I know this.\n```csharp\n{code}\n```";

    private static TrajectoryTask Item(string id, string answer = "42") => new(id, $"What is the answer of task {id}?", answer);

    private static TaskReadResult Tasks(params TrajectoryTask[] tasks) => new(tasks, [], "tasks.jsonl", IsJsonl: true);

    /// <summary>
    /// A teacher that answers each task's question with <paramref name="reply"/>(task id, action step) and every
    /// chain-of-thought request with two paragraphs.
    /// </summary>
    private static ScriptedCandidateGenerator Teacher(Func<string, int, string> reply) => new((request, _) =>
    {
        var messages = request.Messages!;
        if (messages[0].Text == FirstThought.ChainOfThoughtInstructions)
            return ["I should look this up first.\n\nThen answer."];
        var question = messages.First(m => m.Role.Value == "user").Text;
        var id = question.Split("task ")[1].TrimEnd('?');
        var step = messages.Count(m => m.Role.Value == "assistant") + 1;
        return [reply(id, step)];
    });

    private TrajectoryRecorder Recorder(ICandidateGenerator teacher, RecordOptions options) =>
        new(new Agent(host.Host.Agent.Definition with { MaxSteps = 2 }, teacher, host.Host.Sandbox, host.Host.Tools, new AgentRunOptions()), teacher, options);

    private static List<string> RecordedIds(string path) => JsonlTrajectoryReader.Read(path).Records.Select(r => r.Task.Id).ToList();

    [Fact]
    public async Task A_recording_cancelled_mid_run_resumes_and_records_every_task_once_leaving_earlier_lines_unchanged()
    {
        var output = TinyModels.TempPath("resume.jsonl");
        var tasks = Tasks(Item("t1"), Item("t2"), Item("t3"), Item("t4"));
        using var stop = new CancellationTokenSource();
        var killer = Teacher((id, _) =>
        {
            if (id == "t3")
                stop.Cancel(); // stopped while t3 runs: t1 and t2 are finished, t3 is not
            return Act("FinalAnswer(42);");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Recorder(killer, new RecordOptions { Out = output }).RunAsync(tasks, null, stop.Token));
        Assert.Equal(["t1", "t2"], RecordedIds(output));
        var before = await File.ReadAllBytesAsync(output);

        var report = await Recorder(Teacher((_, _) => Act("FinalAnswer(42);")), new RecordOptions { Out = output }).RunAsync(tasks);

        Assert.Equal((4, 2, 2, 0, 0), (report.Tasks, report.ResumedSkipped, report.Recorded, report.Dropped, report.Failed));
        Assert.Equal(["t3", "t4"], report.Results.Select(r => r.Id));
        Assert.Equal(["t1", "t2", "t3", "t4"], RecordedIds(output));
        Assert.Equal(before, (await File.ReadAllBytesAsync(output))[..before.Length]);
        Assert.Empty(JsonlTrajectoryReader.Read(output).Warnings);
        Assert.Equal(Enumerable.Repeat(LedgerEntry.Kept, 4), new RecordingLedger(report.Ledger).Read([]).Values.Select(e => e.Status));
        Assert.Empty(report.Warnings);

        // Finished: a third run has nothing to do and opens no teacher.
        var idle = await new TrajectoryRecorder(_ => throw new InvalidOperationException("the teacher was opened"), new RecordOptions { Out = output }).RunAsync(tasks);
        Assert.Equal((4, 0), (idle.ResumedSkipped, idle.Recorded));
    }

    [Fact]
    public async Task A_torn_last_line_is_cut_off_with_a_warning_and_no_complete_line_is_lost()
    {
        var output = TinyModels.TempPath("torn.jsonl");
        var teacher = Teacher((_, _) => Act("FinalAnswer(42);"));
        await Recorder(teacher, new RecordOptions { Out = output }).RunAsync(Tasks(Item("a")));
        var complete = await File.ReadAllBytesAsync(output);
        await File.AppendAllTextAsync(output, """{"schema_version":1,"run_id":"killed-mid-wri""");

        var report = await Recorder(teacher, new RecordOptions { Out = output }).RunAsync(Tasks(Item("a"), Item("b")));

        Assert.Contains(report.Warnings, w => w.Contains("torn last line"));
        Assert.Equal((1, 1), (report.ResumedSkipped, report.Recorded));
        Assert.Equal(["a", "b"], RecordedIds(output));
        Assert.Equal(complete, (await File.ReadAllBytesAsync(output))[..complete.Length]);
        Assert.Empty(JsonlTrajectoryReader.Read(output).Warnings);
    }

    [Fact]
    public async Task Filters_drop_by_reason_failed_tasks_run_again_and_dropped_ones_only_when_asked()
    {
        var output = TinyModels.TempPath("filtered.jsonl");
        var tasks = Tasks(Item("good"), Item("wrong"), Item("unparsable"), Item("flaky"));
        var flakyCalls = 0;
        string Reply(string id, int step) => id switch
        {
            "wrong" => Act("FinalAnswer(41);"),
            "unparsable" when step == 1 => "I will answer without code.",
            "flaky" when Interlocked.Increment(ref flakyCalls) == 1 => throw new HttpRequestException("the endpoint answered 503 after every retry"),
            _ => Act("FinalAnswer(42);"),
        };
        var options = new RecordOptions { Out = output, FilterCorrect = true, FilterParseErrors = true };

        var first = await Recorder(Teacher(Reply), options).RunAsync(tasks);
        Assert.Equal((1, 2, 1, 0), (first.Recorded, first.Dropped, first.Failed, first.ResumedSkipped));
        Assert.Equal(new Dictionary<string, int> { [DropReasons.Incorrect] = 1, [DropReasons.ParseError] = 1 }, first.DroppedByReason);
        Assert.Contains("503", first.Results.Single(r => r.Id == "flaky").Error);
        Assert.Equal(["good"], RecordedIds(output));

        var second = await Recorder(Teacher(Reply), options).RunAsync(tasks);
        Assert.Equal((1, 0, 0, 3), (second.Recorded, second.Dropped, second.Failed, second.ResumedSkipped));
        Assert.Equal(["good", "flaky"], RecordedIds(output));

        var redo = await Recorder(Teacher(Reply), options with { RedoDropped = true }).RunAsync(tasks);
        Assert.Equal((0, 2, 2), (redo.Recorded, redo.Dropped, redo.ResumedSkipped));
        Assert.Equal(["good", "flaky"], RecordedIds(output));
        var ledger = new RecordingLedger(redo.Ledger).Read([]);
        Assert.Equal((LedgerEntry.Kept, LedgerEntry.Dropped, DropReasons.ParseError), (ledger["flaky"].Status, ledger["unparsable"].Status, ledger["unparsable"].Reason));
    }

    [Fact]
    public async Task Concurrent_runs_write_one_whole_line_per_task_and_a_first_thought_opens_each()
    {
        var output = TinyModels.TempPath("parallel.jsonl");
        var ids = Enumerable.Range(1, 4).Select(i => $"p{i}").ToArray();

        var report = await Recorder(Teacher((_, _) => Act("FinalAnswer(42);")), new RecordOptions { Out = output, Concurrency = 3, FirstThought = true })
            .RunAsync(Tasks([.. ids.Select(id => Item(id))]));

        Assert.Equal((4, 1.0), (report.Recorded, report.Success));
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal(4, lines.Length);
        var read = JsonlTrajectoryReader.Read(output);
        Assert.Empty(read.Warnings);
        Assert.Equal(ids, read.Records.Select(r => r.Task.Id).Order());
        Assert.All(read.Records, r => Assert.Equal("I should look this up first.", r.Steps.OfType<ActionStep>().First().ForcedPrefix));
    }
}
