// agentkit eval --agent DIR --tasks FILE [--n N] [--trajectory FILE] [--json]
// agentkit eval --agent DIR --benchmark FILE [--benchmark FILE2 …] [--mode agent|cot] [--n 1,8] [--kind qa|math]
//               [--judge-endpoint URL --judge-model NAME] [--out results.json] [--plot chart.png] [--limit N] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Cli.Hosting;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit eval</c>: binds the flags to <see cref="AgentEvaluation.RunAsync"/> (success rate, mean steps, parse
/// errors per sampled action, time per task; a failed run counts as wrong with its error) and renders its report.
/// Task-file lines that cannot be tasks are skipped and reported (<see cref="TaskFileInput"/>). Answers and errors
/// in the tables are escaped for the terminal; <c>--json</c> keeps them exact. With <c>--benchmark</c> instead of
/// <c>--tasks</c> it runs the paper's benchmark sets (<see cref="EvalBenchmarkRun"/>).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var cascadeOptions = new CascadeCliOptions();
        var agentOptions = new AgentCliOptions();
        var tasks = new Option<string?>("--tasks") { Description = "Task file: JSONL {\"id\",\"question\",\"answer\"} lines, or the paper's JSON {\"examples\":[…]}. Or give --benchmark." };
        var candidates = new Option<string?>("--n")
        {
            Description = "Candidate actions per step (1-64), overriding the agent's; with --benchmark, comma-separated values of N to run each set with (e.g. 1,8).",
        };
        var benchmark = new EvalBenchmarkOptions();
        var trajectory = new Option<string?>("--trajectory") { Description = "Also record every run to this JSONL file." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N tasks (of each set with --benchmark)." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Evaluate an agent on a task file (success rate, steps, parse errors, time) or on benchmark sets (accuracy per set).")
            { tasks, trajectory, limit, json, candidates };
        foreach (var option in benchmark.All)
            command.Options.Add(option);
        agentOptions.AddTo(command, includeCandidates: false);
        cascadeOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var benchmarks = pr.GetValue(benchmark.Benchmark) ?? [];
            var taskPath = pr.GetValue(tasks);
            if (benchmarks.Length > 0 && taskPath is not null)
                throw new CliUsageException("--tasks and --benchmark are alternatives: give one of them.");
            if (benchmarks.Length == 0 && taskPath is null)
                throw new CliUsageException("give --tasks FILE (a task file) or --benchmark FILE (a benchmark set in the paper's JSON shape).");
            if (benchmarks.Length > 0)
            {
                if (pr.GetValue(trajectory) is not null)
                    throw new CliUsageException("--trajectory records --tasks runs; it does not apply with --benchmark.");
                if (pr.GetValue(limit) is < 1)
                    throw new CliUsageException($"--limit must be at least 1, got {pr.GetValue(limit)}.");
                var counts = pr.GetValue(candidates) is { } countText ? AtlasEvalCommand.ParseCounts(countText) : [1];
                return await EvalBenchmarkRun.RunAsync(pr, benchmark, cascadeOptions.Apply(pr, agentOptions.Read(pr)), counts, pr.GetValue(limit), pr.GetValue(json), ct);
            }
            if (benchmark.BenchmarkOnlyFlagsGiven(pr).FirstOrDefault() is { } benchmarkOnly)
                throw new CliUsageException($"{benchmarkOnly} applies with --benchmark only.");
            var read = TaskFileInput.Read(taskPath!, pr.GetValue(limit), pr.InvocationConfiguration.Error);
            var settings = WithCandidates(cascadeOptions.Apply(pr, agentOptions.Read(pr)), pr.GetValue(candidates));
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

    // --tasks takes one N; it goes through the settings' validation so the refusal names --n.
    private static AgentHostSettings WithCandidates(AgentHostSettings settings, string? text)
    {
        if (text is null)
            return settings;
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new CliUsageException($"--n takes one candidate count (1-64) with --tasks, got '{text}'; lists such as 1,8 are for --benchmark.");
        return CliUsageException.Check(() => (settings with { Candidates = n }).Validate(), message => message.Replace("candidates must", "--n must"));
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
