// agentkit eval --agent DIR --tasks FILE [--n N] [--trajectory FILE] [--json]
using System.CommandLine;
using AgentKit.Cli.Hosting;
using AgentKit.Hosting.Evaluation;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit eval</c>: binds the flags to <see cref="AgentEvaluation.RunAsync"/> (success rate, mean steps, parse
/// errors per sampled action, time per task; a failed run counts as wrong with its error) and renders its report.
/// Task-file lines that cannot be tasks are skipped and reported (<see cref="TaskFileInput"/>). Answers and errors
/// in the tables are escaped for the terminal; <c>--json</c> keeps them exact.
/// </summary>
internal static class EvalCommand
{
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
            var settings = agentOptions.Read(pr);
            var total = read.Tasks.Count;
            var asJson = pr.GetValue(json);
            var report = asJson ? await AgentEvaluation.RunAsync(settings, read, pr.GetValue(trajectory), null, ct) : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
            {
                var bar = ctx.AddTask("Evaluating", maxValue: total);
                var correct = 0;
                return AgentEvaluation.RunAsync(settings, read, pr.GetValue(trajectory), new SyncProgress<TaskResult>(r =>
                {
                    correct += r.Correct ? 1 : 0;
                    bar.Increment(1);
                    bar.Description = $"Evaluating ({bar.Value:N0}/{total}, {correct} correct)";
                }), ct);
            });
            CliOutput.Write(pr, asJson, report, console => WriteTables(console, report));
            return CliApp.Success;
        });
        return command;
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
