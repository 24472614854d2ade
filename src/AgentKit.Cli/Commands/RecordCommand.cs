// agentkit record --agent DIR --tasks FILE [--teacher-endpoint URL --teacher-model NAME] [--first-thought] [--filter-correct] --out traj.jsonl
using System.CommandLine;
using AgentKit.Cli.Hosting;
using AgentKit.Hosting.Evaluation;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit record</c>: binds the flags to <see cref="TrajectoryRecording.RunAsync"/>, which runs a teacher agent (the
/// agent's own model, or <c>--teacher-endpoint</c>) over a task file and appends its trajectories to a JSONL file. With
/// <c>--first-thought</c> the teacher first answers in plain chain-of-thought and the first paragraph is
/// forced as the start of the first agent step; with <c>--filter-correct</c> only runs scored correct are kept.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var agentOptions = new AgentCliOptions();
        var tasks = new Option<string>("--tasks") { Description = "Task file: JSONL {\"id\",\"question\",\"answer\"} lines, or the paper's JSON {\"examples\":[…]}.", Required = true };
        var teacherEndpoint = new Option<string?>("--teacher-endpoint") { Description = "OpenAI-compatible endpoint of the teacher model (default: the agent's model)." };
        var teacherModel = new Option<string?>("--teacher-model") { Description = "Model name to request from --teacher-endpoint." };
        var firstThought = new Option<bool>("--first-thought") { Description = "Force the first paragraph of a chain-of-thought answer as the start of the first step." };
        var filterCorrect = new Option<bool>("--filter-correct") { Description = "Keep only runs whose answer matches the task's reference answer." };
        var output = new Option<string>("--out") { Description = "JSONL file the trajectories are appended to.", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Record only the first N tasks." };
        var json = CommonOptions.Json();
        var command = new Command("record", "Record teacher trajectories over a task file (distillation data).")
            { tasks, teacherEndpoint, teacherModel, firstThought, filterCorrect, output, limit, json };
        agentOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var endpoint = pr.GetValue(teacherEndpoint);
            var model = pr.GetValue(teacherModel);
            if ((endpoint is null) != (model is null))
                throw new CliUsageException("--teacher-endpoint and --teacher-model go together.");
            var settings = agentOptions.Read(pr);
            if (endpoint is not null)
                settings = CliUsageException.Check(() => settings.WithTeacher(endpoint, model!), message => message.Replace("the teacher endpoint must", "--teacher-endpoint must"));
            var read = TaskFileInput.Read(pr.GetValue(tasks)!, pr.GetValue(limit), pr.InvocationConfiguration.Error);
            var options = new RecordOptions { Out = pr.GetValue(output)!, FirstThought = pr.GetValue(firstThought), FilterCorrect = pr.GetValue(filterCorrect) };
            if (options.FilterCorrect && read.Tasks.Any(t => t.ReferenceAnswer is null))
                throw new CliUsageException("--filter-correct needs a reference answer for every task; some tasks have none.");

            var asJson = pr.GetValue(json);
            var report = asJson ? await TrajectoryRecording.RunAsync(settings, read, options, null, ct) : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
            {
                var bar = ctx.AddTask("Recording", maxValue: read.Tasks.Count);
                return TrajectoryRecording.RunAsync(settings, read, options, new SyncProgress<RecordProgress>(p =>
                {
                    bar.Increment(1);
                    bar.Description = $"Recording ({p.Kept} kept, {p.Dropped} dropped)";
                }), ct);
            });
            CliOutput.Write(pr, asJson, report, console => console.Write(new Table()
                .AddColumns("tasks", "recorded", "dropped", "success", "mean steps", "out")
                .AddRow(report.Tasks.ToString(), report.Recorded.ToString(), report.Dropped.ToString(), $"{report.Success:P1}",
                    report.MeanSteps.ToString("F2"), Markup.Escape(report.Out))));
            return CliApp.Success;
        });
        return command;
    }
}
