using System.Text.Json;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

[Collection(AgentCli.Collection)]
public sealed class EvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Missing_or_bad_task_arguments_exit_2()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("eval", "--agent", AgentCli.ExampleAgent);
        Assert.Equal(2, exit);
        Assert.Contains("--tasks", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("eval", "--agent", AgentCli.ExampleAgent, "--tasks", Path.Combine(_dir, "none.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains("task file not found", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("eval", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks, "--limit", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--limit", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("eval", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks, "--n", "100");
        Assert.Equal(2, exit);
        Assert.Contains("--n must be between 1 and 64", stderr);
    }

    [Fact]
    public async Task A_task_file_without_a_usable_line_is_a_clear_failure()
    {
        var tasks = Path.Combine(_dir, "bad.jsonl");
        await File.WriteAllTextAsync(tasks, "{\"question\":\"\"}\n{oops\n");
        var (exit, stdout, stderr) = await AgentCli.RunAsync("eval", "--agent", AgentCli.ExampleAgent, "--tasks", tasks);
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("error: bad.jsonl: no usable task: all 2 line(s) skipped (\"question\" is empty at line 1, …)", stderr);
    }

    /// <summary>Bad lines, and an id and reference answer carrying terminal controls, in one task file.</summary>
    private async Task<string> WriteMixedTasksAsync()
    {
        var tasks = Path.Combine(_dir, "mixed.jsonl");
        await File.WriteAllLinesAsync(tasks,
        [
            """{"id":"a\u001b[31m","question":"Which two rivers meet at Lyon?","answer":"Rh\u001b[2Jône\u0000"}""",
            """{"id":"b","question":"","answer":"x"}""",
            """{"id":"c","question":"Capital""",
            "",
            """{"id":"d","answer":"y"}""",
            """{"id":"e","question":"Which river flows through Lyon?","answer":"Rhône"}""",
        ]);
        return tasks;
    }

    [Fact]
    public async Task Bad_task_lines_are_skipped_and_reported_and_the_rest_is_evaluated()
    {
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "eval", "--agent", AgentCli.ExampleAgent, "--tasks", await WriteMixedTasksAsync(), "--max-steps", "1",
            "--model", TinyModels.RandomLlamaPath(), "--threads", "2", "--context", "4096", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("warning: mixed.jsonl: line 2 skipped: \"question\" is empty", stderr);
        Assert.Contains("warning: mixed.jsonl: line 3 skipped: invalid JSON", stderr);
        Assert.Contains("warning: mixed.jsonl: line 4 skipped: blank line", stderr);
        Assert.Contains("warning: mixed.jsonl: line 5 skipped: missing \"question\"", stderr);
        Assert.Contains("warning: mixed.jsonl: 4 line(s) skipped (2, 3, 4, 5); 2 task(s) read.", stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, root.GetProperty("tasks").GetInt32());
        Assert.Equal(4, root.GetProperty("skipped").GetInt32());
        Assert.Equal([2, 3, 4, 5], root.GetProperty("skipped_lines").EnumerateArray().Select(l => l.GetProperty("line").GetInt32()));
        Assert.Equal("\"question\" is empty", root.GetProperty("skipped_lines")[0].GetProperty("reason").GetString());
        var results = root.GetProperty("results");
        Assert.Equal(["a\u001b[31m", "e"], results.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("Rh\u001b[2Jône\0", results[0].GetProperty("gold").GetString()); // --json stays exact
    }

    [Fact]
    public async Task The_results_table_shows_terminal_controls_escaped()
    {
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "eval", "--agent", AgentCli.ExampleAgent, "--tasks", await WriteMixedTasksAsync(), "--max-steps", "1",
            "--model", TinyModels.RandomLlamaPath(), "--threads", "2", "--context", "4096");

        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain(stdout + stderr, c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r');
        Assert.Contains("\\x1b[31m", stdout); // the id
        Assert.Contains("\\x1b[2J", stdout);  // the reference answer
    }

    [Fact]
    public async Task The_shipped_atlas_test_questions_are_accepted()
    {
        var root = AgentCli.RepoRoot();
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "eval", "--agent", Path.Combine(root, "agents", "atlas"), "--tasks", Path.Combine(root, "agents", "atlas", "questions", "test.jsonl"),
            "--limit", "1", "--threads", "2", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("test.jsonl: line 201 skipped: \"question\" is empty", stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, report.GetProperty("tasks").GetInt32());
        Assert.Equal(201, Assert.Single(report.GetProperty("skipped_lines").EnumerateArray().ToList()).GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Evaluates_tasks_and_reports_json()
    {
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "eval", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks, "--limit", "2", "--max-steps", "1",
            "--model", TinyModels.RandomLlamaPath(), "--threads", "2", "--context", "4096", "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, root.GetProperty("tasks").GetInt32());
        Assert.Equal(1, root.GetProperty("n").GetInt32());
        Assert.Equal(0, root.GetProperty("success").GetDouble()); // a random model does not know Lyon
        var results = root.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("error").ValueKind);
        Assert.Equal("1", results[0].GetProperty("id").GetString());
        Assert.Equal("Rhône and Saône", results[0].GetProperty("gold").GetString());
        Assert.False(results[0].GetProperty("correct").GetBoolean());
        Assert.Equal(1, results[0].GetProperty("steps").GetInt32());
        Assert.True(root.GetProperty("parse_error_rate").GetDouble() is >= 0 and <= 1);
    }
}
