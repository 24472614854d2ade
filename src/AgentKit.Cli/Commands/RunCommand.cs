// agentkit run [--agent DIR] [--n N] [--json] [--trajectory FILE] "question"
using System.CommandLine;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Display;
using AgentKit.Hosting;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit run</c>: binds the flags to <see cref="AgentRun.RunAsync"/> (one question, recorded step by step), shows
/// the steps as they happen and prints the answer. Model and tool text is escaped for the terminal; <c>--json</c> is exact.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var cascadeOptions = new CascadeCliOptions();
        var agentOptions = new AgentCliOptions();
        var question = new Argument<string>("question") { Description = "The task to solve." };
        var trajectory = new Option<string?>("--trajectory") { Description = "JSONL file to append the run to (default: runs/<agent>-<time>.jsonl)." };
        var json = CommonOptions.Json();
        var command = new Command("run", "Run an agent on one question; show its steps and record its trajectory.") { question, trajectory, json };
        agentOptions.AddTo(command);
        cascadeOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var task = pr.GetValue(question);
            if (string.IsNullOrWhiteSpace(task))
                throw new CliUsageException("the question must not be empty.");
            var settings = cascadeOptions.Apply(pr, agentOptions.Read(pr));
            var stdout = pr.InvocationConfiguration.Output;
            var asJson = pr.GetValue(json);
            var report = await AgentRun.RunAsync(settings, task, pr.GetValue(trajectory), asJson ? null : new StepPrinter(stdout), ct);
            CliOutput.Write(pr, asJson, report, _ =>
            {
                stdout.WriteLine($"Final answer: {TerminalText.Escape(report.Answer)}");
                stdout.WriteLine($"({report.Steps} step(s), {report.Seconds:F1} s, outcome {report.Outcome}; trajectory: {report.Trajectory})");
            });
            return CliApp.Success;
        });
        return command;
    }
}
