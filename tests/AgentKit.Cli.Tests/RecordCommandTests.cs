namespace AgentKit.Cli.Tests;

[Collection(AgentCli.Collection)]
public sealed class RecordCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-record-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Teacher_options_go_together()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("record", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks,
            "--out", Path.Combine(_dir, "t.jsonl"), "--teacher-endpoint", "http://127.0.0.1:9/v1");
        Assert.Equal(2, exit);
        Assert.Contains("--teacher-endpoint and --teacher-model go together", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("record", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks,
            "--out", Path.Combine(_dir, "t.jsonl"), "--teacher-endpoint", "http://127.0.0.1:9/v1", "--teacher-model", "m", "--model", "x.gguf");
        Assert.Equal(2, exit);
        Assert.Contains("not both", stderr);
    }

    [Fact]
    public async Task Out_is_required_and_filtering_needs_reference_answers()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("record", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks);
        Assert.Equal(2, exit);
        Assert.Contains("--out", stderr);

        var tasks = Path.Combine(_dir, "tasks.jsonl");
        await File.WriteAllTextAsync(tasks, "{\"id\":\"1\",\"question\":\"q\"}\n");
        (exit, _, stderr) = await AgentCli.RunAsync("record", "--agent", AgentCli.ExampleAgent, "--tasks", tasks, "--filter-correct", "--out", Path.Combine(_dir, "t.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains("reference answer", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "t.jsonl")));
    }

    [Theory]
    [InlineData("--concurrency", "0", "--concurrency must be between 1 and 64")]
    [InlineData("--max-retries", "-1", "--max-retries must be between 0 and 20")]
    [InlineData("--requests-per-minute", "0", "--requests-per-minute must be positive")]
    public async Task Unusable_recording_flags_are_refused_by_name(string flag, string value, string message)
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("record", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks,
            "--out", Path.Combine(_dir, "t.jsonl"), flag, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task An_unreachable_teacher_fails_its_tasks_which_are_tried_again_on_resume()
    {
        var output = Path.Combine(_dir, "t.jsonl");
        string[] record = ["record", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks, "--limit", "1",
            "--teacher-endpoint", "http://127.0.0.1:9/v1", "--teacher-model", "m", "--filter-correct", "--max-retries", "0", "--out", output, "--json"];
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (exit, stdout, stderr) = await AgentCli.RunAsync(record);
            Assert.True(exit == 0, stderr);
            using var json = System.Text.Json.JsonDocument.Parse(stdout);
            Assert.Equal((0, 0, 1, 0), (json.RootElement.GetProperty("recorded").GetInt32(), json.RootElement.GetProperty("dropped").GetInt32(),
                json.RootElement.GetProperty("failed").GetInt32(), json.RootElement.GetProperty("resumed_skipped").GetInt32()));
            Assert.Contains("Cannot reach", json.RootElement.GetProperty("results")[0].GetProperty("error").GetString());
        }
        Assert.False(File.Exists(output) && new FileInfo(output).Length > 0);
    }
}
