// agentkit record --agent DIR --tasks FILE [--mode agent|cot] [--cot-kind math|qa] [--cot-max-tokens N] [--teacher-endpoint URL --teacher-model NAME] [--first-thought] [--filter-correct]
//   [--filter-parse-errors] [--concurrency K] [--max-retries N] [--requests-per-minute R] [--redo-dropped] --out traj.jsonl
using System.CommandLine;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Scoring.Benchmarks;
using AgentKit.Hosting.Evaluation;
using AgentKit.Models.OpenAICompatible;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit record</c>: binds the flags to <see cref="TrajectoryRecording.RunAsync"/>, which runs a teacher agent (the
/// agent's own model, or <c>--teacher-endpoint</c>) over a task file and appends its trajectories to a JSONL file. With
/// <c>--first-thought</c> the teacher first answers in plain chain-of-thought and the first paragraph is
/// forced as the start of the first agent step; with <c>--filter-correct</c> only runs scored correct are kept, with
/// <c>--filter-parse-errors</c> only runs whose every action parsed. An existing <c>--out</c> file is resumed: its tasks
/// are not run again. With <c>--mode cot</c> each task is one plain chain-of-thought answer with the prompt of
/// <c>eval --mode cot</c> (CoT distillation data), recorded as a run without action steps. <c>--max-retries</c> and <c>--requests-per-minute</c> apply to the teacher endpoint.
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
        var mode = new Option<string>("--mode") { Description = "What to record: agent (teacher agent runs) or cot (plain chain-of-thought answers, eval --mode cot's prompt).", DefaultValueFactory = _ => "agent" };
        var cotKind = new Option<string>("--cot-kind") { Description = "With --mode cot: the answer form, math (\\boxed{…}) or qa (\"Final answer: …\"), as eval picks per benchmark.", DefaultValueFactory = _ => "math" };
        var cotMaxTokens = new Option<int>("--cot-max-tokens") { Description = "With --mode cot: tokens a reply may take.", DefaultValueFactory = _ => 1024 };
        var filterCorrect = new Option<bool>("--filter-correct") { Description = "Keep only runs whose answer matches the task's reference answer." };
        var filterParseErrors = new Option<bool>("--filter-parse-errors") { Description = "Drop runs in which the action taken at some step did not parse." };
        var output = new Option<string>("--out")
        {
            Description = "JSONL file the trajectories are appended to; an existing one is resumed (its tasks, and those OUT.progress.jsonl lists as done, are skipped).",
            Required = true,
        };
        var limit = new Option<int?>("--limit") { Description = "Record only the first N tasks." };
        var concurrency = new Option<int>("--concurrency") { Description = "Tasks run at once (1-64; lines may come out of task order).", DefaultValueFactory = _ => 1 };
        var maxRetries = new Option<int>("--max-retries")
        {
            Description = "Retries of an endpoint request that got 429/5xx, timed out or lost its connection, with exponential back-off (honours Retry-After).",
            DefaultValueFactory = _ => 3,
        };
        var requestsPerMinute = new Option<double?>("--requests-per-minute") { Description = "Most endpoint requests started per minute, retries included." };
        var redoDropped = new Option<bool>("--redo-dropped") { Description = "On resume, run again the tasks an earlier recording dropped." };
        var json = CommonOptions.Json();
        var command = new Command("record", "Record teacher trajectories over a task file (distillation data); resumes an existing output file.")
            { tasks, mode, cotKind, cotMaxTokens, teacherEndpoint, teacherModel, firstThought, filterCorrect, filterParseErrors, output, limit, concurrency, maxRetries, requestsPerMinute, redoDropped, json };
        agentOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var endpoint = pr.GetValue(teacherEndpoint);
            var model = pr.GetValue(teacherModel);
            if ((endpoint is null) != (model is null))
                throw new CliUsageException("--teacher-endpoint and --teacher-model go together.");
            var retry = CliUsageException.Check(() => new EndpointRetryOptions { MaxRetries = pr.GetValue(maxRetries), RequestsPerMinute = pr.GetValue(requestsPerMinute) }.Validate(),
                message => message.Replace("max retries must", "--max-retries must").Replace("requests per minute must", "--requests-per-minute must"));
            var settings = agentOptions.Read(pr) with { EndpointRetry = retry };
            if (endpoint is not null)
                settings = CliUsageException.Check(() => settings.WithTeacher(endpoint, model!), message => message.Replace("the teacher endpoint must", "--teacher-endpoint must"));
            var recordMode = pr.GetValue(mode) switch
            {
                "agent" => RecordMode.Agent,
                "cot" => RecordMode.Cot,
                var other => throw new CliUsageException($"--mode takes agent or cot, got '{other}'."),
            };
            var kind = pr.GetValue(cotKind) switch
            {
                "math" => BenchmarkKind.Math,
                "qa" => BenchmarkKind.Qa,
                var other => throw new CliUsageException($"--cot-kind takes math or qa, got '{other}'."),
            };
            if (recordMode == RecordMode.Cot && pr.GetValue(firstThought))
                throw new CliUsageException("--first-thought starts an agent run; it has no use with --mode cot.");
            var read = TaskFileInput.Read(pr.GetValue(tasks)!, pr.GetValue(limit), pr.InvocationConfiguration.Error);
            var options = CliUsageException.Check(() => new RecordOptions
            {
                Out = pr.GetValue(output)!, Mode = recordMode, CotKind = kind, CotMaxTokens = pr.GetValue(cotMaxTokens), FirstThought = pr.GetValue(firstThought), FilterCorrect = pr.GetValue(filterCorrect),
                FilterParseErrors = pr.GetValue(filterParseErrors), Concurrency = pr.GetValue(concurrency), RedoDropped = pr.GetValue(redoDropped),
            }.Validate(), message => message.Replace("concurrency must", "--concurrency must").Replace("the chain-of-thought token limit must", "--cot-max-tokens must"));
            if (options.FilterCorrect && read.Tasks.Any(t => t.ReferenceAnswer is null))
                throw new CliUsageException("--filter-correct needs a reference answer for every task; some tasks have none.");

            var asJson = pr.GetValue(json);
            var report = asJson ? await TrajectoryRecording.RunAsync(settings, read, options, null, ct) : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
            {
                var bar = ctx.AddTask("Recording", maxValue: read.Tasks.Count);
                return TrajectoryRecording.RunAsync(settings, read, options, new SyncProgress<RecordProgress>(p =>
                {
                    bar.MaxValue = p.Pending;
                    bar.Value = p.Done;
                    bar.Description = $"Recording ({p.Kept} kept, {p.Dropped} dropped, {p.Failed} failed)";
                }), ct);
            });
            foreach (var warning in report.Warnings)
                pr.InvocationConfiguration.Error.WriteLine("warning: " + warning);
            var drops = string.Join(", ", report.DroppedByReason.Select(d => $"{d.Key} {d.Value}"));
            CliOutput.Write(pr, asJson, report, console => console.Write(new Table()
                .AddColumns("tasks", "resumed-skipped", "recorded", "dropped", "failed", "success", "mean steps", "out")
                .AddRow(report.Tasks.ToString(), report.ResumedSkipped.ToString(), report.Recorded.ToString(),
                    report.Dropped == 0 ? "0" : Markup.Escape($"{report.Dropped} ({drops})"), report.Failed.ToString(), $"{report.Success:P1}",
                    report.MeanSteps.ToString("F2"), Markup.Escape(report.Out))));
            return CliApp.Success;
        });
        return command;
    }
}
