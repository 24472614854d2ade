using System.Text.Json;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

[Collection(AgentCli.Collection)]
public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--model", "m.gguf", "--endpoint", "http://h/v1", "--model-name", "x")]
    [InlineData("--endpoint", "http://h/v1")]
    [InlineData("--endpoint", "not a url", "--model-name", "x")]
    [InlineData("--model-name", "x")]
    [InlineData("--n", "0")]
    [InlineData("--n", "65")]
    [InlineData("--temperature", "-1")]
    [InlineData("--max-steps", "0")]
    [InlineData("--memory-mb", "64")]
    public async Task Bad_option_combinations_exit_2_with_a_message(params string[] options)
    {
        var (exit, stdout, stderr) = await AgentCli.RunAsync(["run", "--agent", AgentCli.ExampleAgent, .. options, "question?"]);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Missing_agent_folder_and_empty_question_exit_2()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", Path.Combine(_dir, "nope"), "q");
        Assert.Equal(2, exit);
        Assert.Contains("agent folder not found", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", AgentCli.ExampleAgent, " ");
        Assert.Equal(2, exit);
        Assert.Contains("question must not be empty", stderr);

        (exit, _, _) = await AgentCli.RunAsync("run", "--agent", AgentCli.ExampleAgent);
        Assert.Equal(2, exit); // the question argument is required
    }

    [Fact]
    public async Task A_missing_model_file_is_a_clear_failure()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", AgentCli.ExampleAgent, "--trajectory", Path.Combine(_dir, "t.jsonl"), "q?");
        Assert.Equal(1, exit);
        Assert.Contains("Model file not found", stderr);
        Assert.Contains("--model", stderr);
    }

    [Fact]
    public async Task Runs_the_example_agent_on_a_tiny_model_and_records_the_trajectory()
    {
        var trajectory = Path.Combine(_dir, "runs", "t.jsonl");
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "run", "--agent", AgentCli.ExampleAgent, "--model", TinyModels.RandomLlamaPath(), "--max-steps", "1", "--n", "2",
            "--threads", "2", "--context", "4096", "--trajectory", trajectory, "--json", "Which two rivers meet at Lyon?");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("StepLimit", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("steps").GetInt32());
        Assert.Equal(Path.GetFullPath(trajectory), json.RootElement.GetProperty("trajectory").GetString());
        var record = Assert.Single(JsonlTrajectoryReader.Read(trajectory).Records);
        Assert.Equal("example", record.Agent.Name);
        Assert.Equal(["Search"], record.Agent.Tools);
        Assert.Equal(2, record.Sampling.Candidates);
        Assert.Contains("Passage[] Search(string query, int k = 3)", record.Steps.OfType<AgentKit.Abstractions.Trajectories.ActionStep>().Single().Prompt[0].Content);
    }

    [Fact]
    public async Task An_agent_file_outside_its_folder_is_refused_unless_allowed()
    {
        var agent = Directory.CreateDirectory(Path.Combine(_dir, "agent")).FullName;
        File.Copy(TinyModels.RandomLlamaPath(), Path.Combine(_dir, "outside.gguf"));
        await File.WriteAllTextAsync(Path.Combine(agent, "agent.json"), """{"name":"out","model":{"path":"../outside.gguf"},"max_steps":1}""");
        var trajectory = Path.Combine(_dir, "t.jsonl");

        var (exit, stdout, stderr) = await AgentCli.RunAsync("run", "--agent", agent, "--trajectory", trajectory, "q?");
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("model.path \"../outside.gguf\" goes up out of the agent folder with '..'", stderr);
        Assert.Contains("--allow-outside-paths", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n')); // one line, no stack trace
        Assert.False(File.Exists(trajectory));

        (exit, stdout, stderr) = await AgentCli.RunAsync(
            "run", "--agent", agent, "--allow-outside-paths", "--threads", "2", "--context", "4096", "--trajectory", trajectory, "--json", "q?");
        Assert.True(exit == 0, stderr);
        Assert.Single(JsonlTrajectoryReader.Read(trajectory).Records);
    }
}
