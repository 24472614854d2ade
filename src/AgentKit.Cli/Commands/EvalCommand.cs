// agentkit eval --agent DIR --tasks FILE [--n N] [--trajectory FILE] [--json]
using System.CommandLine;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Running;
using AgentKit.Core.Tasks;
using AgentKit.Core.Trajectories;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit eval</c>: runs an agent on every task of a task file and reports success rate, mean steps,
/// the share of sampled actions that failed to parse, and time per task. A task whose run fails (e.g. the
/// endpoint drops) counts as wrong with its error, and evaluation goes on. Task-file lines that cannot be tasks
/// are skipped and reported (<see cref="TaskFileInput"/>). Answers and errors in the tables are escaped for the
/// terminal; <c>--json</c> keeps them exact.
/// </summary>
internal static class EvalCommand
{
    private sealed record EvalReport(int Tasks, double Success, int N, double MeanSteps, double ParseErrorRate, double SecondsPerTask, string? Trajectory,
        int Skipped, IReadOnlyList<SkippedTask> SkippedLines, IReadOnlyList<TaskResult> Results);

    public static Command Create()
    {
        var agentOptions = new AgentCliOptions();
        var tasks = new Option<string>("--tasks") { Description = "Task file: JSONL {\"id\",\"question\",\"answer\"} lines, or the paper's JSON {\"examples\":[…]}.", Required = true };
        var trajectory = new Option<string?>("--trajectory") { Description = "Also record every run to this JSONL file." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N tasks." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Evaluate an agent on a task file: success rate, steps, parse errors, time.") { tasks, trajectory, limit, json };
        agentOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var read = TaskFileInput.Read(pr.GetValue(tasks)!, pr.GetValue(limit), pr.InvocationConfiguration.Error);
            var taskList = read.Tasks;
            var settings = agentOptions.Read(pr);
            var asJson = pr.GetValue(json);
            var stdout = pr.InvocationConfiguration.Output;

            await using var host = await AgentHost.OpenAsync(settings, ct);
            var trajectoryPath = pr.GetValue(trajectory);
            using var writer = trajectoryPath is null ? null : new JsonlTrajectoryWriter(trajectoryPath);
            var agent = host.CreateAgent(new AgentRunOptions { Sink = writer });

            var results = asJson
                ? await RunAllAsync(agent, taskList, _ => { }, ct)
                : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("Evaluating", maxValue: taskList.Count);
                    return await RunAllAsync(agent, taskList, r =>
                    {
                        bar.Increment(1);
                        bar.Description = $"Evaluating ({bar.Value:N0}/{taskList.Count}, {r.Count(x => x.Correct)} correct)";
                    }, ct);
                });

            var summary = TaskRunSummary.From(results);
            var report = new EvalReport(summary.Tasks, summary.Success, host.Agent.Definition.Sampling.Candidates, summary.MeanSteps,
                summary.ParseErrorRate, summary.SecondsPerTask, writer?.Path, read.Skipped.Count, read.Skipped, results);
            if (asJson)
                JsonOutput.Write(stdout, report);
            else
                WriteTables(SpectreConsoles.For(stdout), report);
            return CliApp.Success;
        });
        return command;
    }

    internal static async Task<IReadOnlyList<TaskResult>> RunAllAsync(Core.Agent agent, IReadOnlyList<TrajectoryTask> tasks, Action<IReadOnlyList<TaskResult>> onResult, CancellationToken ct)
    {
        var results = new List<TaskResult>();
        foreach (var task in tasks)
        {
            results.Add(await RunOneAsync(agent, task, null, ct));
            onResult(results);
        }
        return results;
    }

    /// <summary>Runs one task; a failure other than cancellation becomes a wrong result carrying its error.</summary>
    internal static async Task<TaskResult> RunOneAsync(Core.Agent agent, TrajectoryTask task, AgentRunSettings? settings, CancellationToken ct)
    {
        try
        {
            return TaskResult.From((await agent.RunAsync(task, settings, ct)).Trajectory);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return new TaskResult(task.Id, task.Question, null, task.ReferenceAnswer, false, 0, 0, 0, 0, ex.Message);
        }
    }

    private static void WriteTables(IAnsiConsole console, EvalReport report)
    {
        var tasks = new Table().AddColumns("id", "correct", "steps", "seconds", "answer", "gold");
        foreach (var r in report.Results)
            tasks.AddRow(SpectreConsoles.SafeMarkup(r.Id), r.Correct ? "yes" : "no", r.Steps.ToString(), r.Seconds.ToString("F1"),
                SpectreConsoles.SafeMarkup(Shorten(r.Error is null ? r.Answer ?? "" : $"error: {r.Error}")), SpectreConsoles.SafeMarkup(Shorten(r.Gold ?? "")));
        console.Write(tasks);
        console.Write(new Table()
            .AddColumns("tasks", "success", "n", "mean steps", "parse errors / candidate", "s / task")
            .AddRow(report.Tasks.ToString(), $"{report.Success:P1}", report.N.ToString(), report.MeanSteps.ToString("F2"),
                $"{report.ParseErrorRate:P1}", report.SecondsPerTask.ToString("F2")));
        if (report.Trajectory is not null)
            console.WriteLine($"trajectories: {report.Trajectory}");
    }

    private static string Shorten(string text) => text.Length <= 60 ? text.ReplaceLineEndings(" ") : text[..57].ReplaceLineEndings(" ") + "...";
}
