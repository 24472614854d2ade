using System.Text.Json;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Cli.Commands;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;
using Spectre.Console;

namespace AgentKit.Cli.Tests;

/// <summary>
/// Control characters from models, code and files never reach the console raw: run, exec, generate and error messages.
/// Piped data (exec's and generate's output when not on a terminal) and --json stay exact.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed class TerminalEscapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-esc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool HasControls(string text) =>
        text.Any(c => (char.IsControl(c) && c is not '\n' and not '\t' and not '\r') || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069');

    [Fact]
    public async Task A_random_model_run_shows_its_control_characters_escaped_and_records_them_exactly()
    {
        // A random-weight model writes arbitrary bytes, control characters included: the real worst case.
        var trajectory = Path.Combine(_dir, "t.jsonl");
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "run", "--agent", AgentCli.ExampleAgent, "--model", TinyModels.RandomLlamaPath(), "--max-steps", "2",
            "--threads", "2", "--context", "4096", "--trajectory", trajectory, "Which two rivers meet at Lyon?");

        Assert.True(exit == 0, stderr);
        var record = Assert.Single(JsonlTrajectoryReader.Read(trajectory).Records);
        var modelText = string.Concat(record.Steps.OfType<ActionStep>().SelectMany(s => s.Candidates.Select(c => c.Text + s.Observation)));
        Assert.True(HasControls(modelText), "the random model wrote no control character; the test proves nothing");
        Assert.False(HasControls(stdout), "raw control characters on the console");
        Assert.Contains("\\x", stdout);
    }

    [Fact]
    public async Task Run_json_keeps_the_answer_exact()
    {
        var trajectory = Path.Combine(_dir, "j.jsonl");
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "run", "--agent", AgentCli.ExampleAgent, "--model", TinyModels.RandomLlamaPath(), "--max-steps", "1",
            "--threads", "2", "--context", "4096", "--trajectory", trajectory, "--json", "Which two rivers meet at Lyon?");

        Assert.True(exit == 0, stderr);
        Assert.False(HasControls(stdout)); // JSON escapes them…
        var record = Assert.Single(JsonlTrajectoryReader.Read(trajectory).Records);
        Assert.Equal(record.FinalAnswer, JsonDocument.Parse(stdout).RootElement.GetProperty("answer").GetString()); // …and loses nothing
    }

    [Fact]
    public async Task Exec_writes_piped_output_exactly_and_escapes_it_on_a_terminal()
    {
        var snippet = Path.Combine(_dir, "esc.csx");
        await File.WriteAllTextAsync(snippet, "Console.Write(\"\\u001b[31mred\\u0000\");\nthrow new Exception(\"bad \\u001b[2J\");");

        var (exit, stdout, stderr) = await AgentCli.RunAsync("exec", snippet);

        Assert.Equal(1, exit);
        Assert.Equal("\u001b[31mred\0\n", stdout);           // not a terminal: the snippet's bytes, as printed
        Assert.Contains("bad \\x1b[2J", stderr);              // the verdict is for a person: escaped
        Assert.False(HasControls(stderr));

        var terminal = new StringWriter();
        var result = new ExecutionResult { Status = ExecutionStatus.Ok, Output = "\u001b[31mred\0", ReturnValue = "\u202ex", FinalAnswer = "\u0007" };
        await ExecCommand.WriteHumanAsync(terminal, new StringWriter(), result, escapeOutput: true);
        Assert.Equal("\\x1b[31mred\\x00\n=> \\u202ex\nfinal answer: \\x07\n", terminal.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Generate_escapes_completions_only_for_a_terminal()
    {
        var report = new GenerateCommand.GenerateReport("m", [new GenerateCommand.Completion("a\u001b[2Jb\0", 3, "length")], 1, 1, 1);
        string Render(bool escape)
        {
            var output = new StringWriter();
            GenerateCommand.WriteHuman(SpectreConsoles.For(output), report, escape);
            return output.ToString();
        }

        var onTerminal = Render(escape: true);
        Assert.Contains("a\\x1b[2Jb\\x00", onTerminal);
        Assert.False(HasControls(onTerminal));
        Assert.Contains("a\u001b[2Jb\0", Render(escape: false));
    }

    [Fact]
    public async Task Error_messages_are_escaped()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", Path.Combine(_dir, "no\u001b]0;x\u0007pe"), "q");
        Assert.Equal(2, exit);
        Assert.Contains("no\\x1b]0;x\\x07pe", stderr);
        Assert.False(HasControls(stderr));
    }

    [Fact]
    public void Table_cells_escape_controls_and_markup()
    {
        var output = new StringWriter();
        SpectreConsoles.For(output).Write(new Table().AddColumn("x").AddRow(SpectreConsoles.SafeMarkup("[red]\u001b[5m")));
        Assert.Contains("[red]\\x1b[5m", output.ToString());
    }
}
