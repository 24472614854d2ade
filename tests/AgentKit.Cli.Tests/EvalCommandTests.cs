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
    public async Task A_corrupt_task_file_is_a_clear_failure()
    {
        var tasks = Path.Combine(_dir, "bad.jsonl");
        await File.WriteAllTextAsync(tasks, "{\"question\":\"q\"}\n{oops\n");
        var (exit, _, stderr) = await AgentCli.RunAsync("eval", "--agent", AgentCli.ExampleAgent, "--tasks", tasks);
        Assert.Equal(1, exit);
        Assert.Contains("bad.jsonl:2: invalid JSON", stderr);
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
