using AgentKit.Abstractions.Trajectories;
using AgentKit.Cli.Hosting;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Core.Running;
using AgentKit.Sandbox;

namespace AgentKit.Cli.Tests.Hosting;

/// <summary>
/// What `agentkit run` shows while a run goes: a scripted model whose thoughts and code carry terminal controls, and
/// code (run in the real sandbox) that prints them, must reach the screen only as visible escapes.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed class StepPrinterTests
{
    private const string Esc = "\u001b";

    [Fact]
    public async Task Model_text_and_observations_are_printed_without_terminal_controls()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [$"Thought: clear {Esc}[2J{Esc}]0;pwned\u0007 the screen\0 and flip \u202eit\n```csharp\n// {Esc}[8m hidden\nConsole.WriteLine(\"\\u001b[31mred\\u0000\");\n```"],
            ["Thought: answer\n```csharp\nFinalAnswer(\"\\u001b[1mParis\\u009b\");\n```"]);
        var definition = new AgentDefinition { Name = "t", Model = new AgentModelOptions { Path = "none.gguf" }, MaxSteps = 3 };
        await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
        var output = new StringWriter();
        var sink = new TrajectoryCapture();
        var agent = new Agent(definition, model, sandbox, [], new AgentRunOptions { Progress = new StepPrinter(output), Sink = sink });

        var result = await agent.RunAsync(new TrajectoryTask("t", "q?"), null);

        var printed = output.ToString();
        Assert.Equal("\u001b[1mParis\u009b", result.FinalAnswer); // the record stays exact
        Assert.Contains("\u001b[31mred", sink.Record!.Steps.OfType<ActionStep>().First().Observation);
        Assert.DoesNotContain(printed, c => (char.IsControl(c) && c is not '\n' and not '\t') || c == '\u202e');
        Assert.Contains("Thought: clear \\x1b[2J\\x1b]0;pwned\\x07 the screen\\x00 and flip \\u202eit", printed);
        Assert.Contains("// \\x1b[8m hidden", printed);
        Assert.Contains("    \\x1b[31mred\\x00", printed);           // the observation
        Assert.Contains("Final answer: \\x1b[1mParis\\x9b", printed); // the observation of the final step
    }

    private sealed class TrajectoryCapture : ITrajectorySink
    {
        public TrajectoryRecord? Record { get; private set; }

        public ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
        {
            Record = record;
            return ValueTask.CompletedTask;
        }
    }
}
