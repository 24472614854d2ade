using AgentKit.Core.Tasks;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting.Evaluation;
using AgentKit.TestUtils;

namespace AgentKit.Hosting.Tests.Evaluation;

/// <summary>The library behind <c>agentkit eval</c>: the example agent on a tiny random GGUF, through the real sandbox.</summary>
public sealed class AgentEvaluationTests
{
    [Fact]
    public async Task Every_task_is_run_recorded_and_reported_as_it_finishes()
    {
        var tasks = TinyModels.TempPath("tasks.jsonl");
        File.WriteAllLines(tasks,
        [
            """{"id":"lyon","question":"Which river flows through Lyon?","answer":"Rhône"}""",
            """{"id":"bad","question":""}""",
            """{"id":"paris","question":"Which river flows through Paris?","answer":"Seine"}""",
        ]);
        var trajectory = TinyModels.TempPath("runs.jsonl");
        var settings = new AgentHostSettings
        {
            AgentFolder = RepoFiles.ExampleAgent, ModelPath = TinyModels.RandomLlamaPath(), MaxSteps = 1, Threads = 2, ContextSize = 4096,
        };
        var reported = new List<string>();

        var report = await AgentEvaluation.RunAsync(settings, TaskFileReader.Read(tasks), trajectory, new ListProgress(reported));

        Assert.Equal(2, report.Tasks);
        Assert.Equal(1, report.N);
        Assert.Equal(0, report.Success); // a random model does not know rivers
        Assert.Equal(["lyon", "paris"], reported);
        Assert.Equal(["lyon", "paris"], report.Results.Select(r => r.Id));
        Assert.All(report.Results, r => Assert.Equal(1, r.Steps));
        Assert.Equal([2], report.SkippedLines.Select(s => s.Line));
        Assert.Equal(Path.GetFullPath(trajectory), Path.GetFullPath(report.Trajectory!));
        Assert.Equal(["lyon", "paris"], JsonlTrajectoryReader.Read(trajectory).Records.Select(r => r.Task.Id));
    }

    private sealed class ListProgress(List<string> ids) : IProgress<TaskResult>
    {
        public void Report(TaskResult value) => ids.Add(value.Id);
    }
}
