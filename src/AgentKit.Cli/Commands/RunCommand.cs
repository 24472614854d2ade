// agentkit run [--agent DIR] [--n N] [--json] [--trajectory FILE] "question"
using System.CommandLine;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Display;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit run</c>: runs an agent on one question, showing its steps as they happen, and records the trajectory
/// step by step (<see cref="AgentRunOptions.RecordEachStep"/>): the run so far is appended and flushed after every
/// step, then the finished run. Model and tool text is escaped for the terminal; <c>--json</c> is exact.
/// </summary>
internal static class RunCommand
{
    private sealed record RunReport(string RunId, string? Answer, string Outcome, int Steps, double Seconds, int PromptTokens, int CompletionTokens, string Trajectory);

    public static Command Create()
    {
        var agentOptions = new AgentCliOptions();
        var question = new Argument<string>("question") { Description = "The task to solve." };
        var trajectory = new Option<string?>("--trajectory") { Description = "JSONL file to append the run to (default: runs/<agent>-<time>.jsonl)." };
        var json = CommonOptions.Json();
        var command = new Command("run", "Run an agent on one question; show its steps and record its trajectory.") { question, trajectory, json };
        agentOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var task = pr.GetValue(question);
            if (string.IsNullOrWhiteSpace(task))
                throw new CliUsageException("the question must not be empty.");
            var settings = agentOptions.Read(pr);
            var stdout = pr.InvocationConfiguration.Output;
            var asJson = pr.GetValue(json);

            await using var host = await AgentHost.OpenAsync(settings, ct);
            var path = pr.GetValue(trajectory) ?? DefaultTrajectoryPath(host.Agent.Definition.Name);
            using var writer = new JsonlTrajectoryWriter(path);
            // Every finished step goes to disk at once: a killed run keeps its steps (the reader keeps the last record of a run).
            var agent = host.CreateAgent(new AgentRunOptions { Sink = writer, RecordEachStep = true, Progress = asJson ? null : new StepPrinter(stdout) });

            var result = await agent.RunAsync(new TrajectoryTask("cli", task), null, ct);
            var record = result.Trajectory;
            var report = new RunReport(record.RunId, record.FinalAnswer, record.Outcome.ToString(), result.ActionSteps,
                Math.Round(record.DurationMs / 1000, 3), record.PromptTokens, record.CompletionTokens, writer.Path);
            if (asJson)
            {
                JsonOutput.Write(stdout, report);
            }
            else
            {
                stdout.WriteLine($"Final answer: {TerminalText.Escape(report.Answer)}");
                stdout.WriteLine($"({report.Steps} step(s), {report.Seconds:F1} s, outcome {report.Outcome}; trajectory: {report.Trajectory})");
            }
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>runs/&lt;agent&gt;-&lt;UTC time&gt;.jsonl under the current folder.</summary>
    internal static string DefaultTrajectoryPath(string agentName) =>
        Path.Combine("runs", $"{agentName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.jsonl");
}
