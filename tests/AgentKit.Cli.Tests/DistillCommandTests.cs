using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary>
/// <c>agentkit distill</c> maps the library's errors to exit codes: a recipe it cannot use exits 2, a failed stage 1.
/// The pipeline itself is tested in AgentKit.Distillation.Tests.
/// </summary>
public sealed class DistillCommandTests
{
    [Fact]
    public async Task A_missing_recipe_exits_2()
    {
        var (exit, _, stderr) = await RunAsync("distill", "--recipe", TinyModels.TempPath("nowhere.json"));

        Assert.Equal(2, exit);
        Assert.Contains("recipe not found", stderr);
    }

    [Fact]
    public async Task Zero_threads_exit_2()
    {
        var (exit, _, stderr) = await RunAsync("distill", "--threads", "0");

        Assert.Equal(2, exit);
        Assert.Contains("--threads must be >= 1", stderr);
    }

    [Fact]
    public async Task An_unknown_key_exits_2_with_the_key_named()
    {
        var recipe = Recipe("runs.jsonl");
        recipe["sft"]!["epochz"] = 3;

        var (exit, _, stderr) = await RunAsync("distill", "--recipe", Write(recipe, out _));

        Assert.Equal(2, exit);
        Assert.Contains("unknown key \"epochz\"", stderr);
    }

    [Fact]
    public async Task An_endpoint_teacher_with_a_missing_task_file_exits_2_naming_the_key_before_anything_runs()
    {
        var recipe = Recipe("runs.jsonl");
        recipe["teacher"] = new JsonObject { ["kind"] = "endpoint", ["endpoint"] = "http://127.0.0.1:9/v1", ["model"] = "teacher", ["tasks"] = new JsonArray("nowhere.json") };
        var path = Write(recipe, out var folder);
        File.Copy(Path.Combine(AgentCli.RepoRoot(), "agents", "paper", "agent.json"), Path.Combine(folder, "agent.json"));
        File.Copy(Path.Combine(AgentCli.RepoRoot(), "agents", "paper", "prompt.md"), Path.Combine(folder, "prompt.md"));
        var work = Path.Combine(folder, "work");

        var (exit, _, stderr) = await RunAsync("distill", "--recipe", path, "--work", work);

        Assert.Equal(2, exit);
        Assert.Contains("teacher.tasks: Task file not found", stderr);
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public async Task A_failing_stage_exits_1_naming_it_and_says_how_to_continue()
    {
        var path = Write(Recipe("runs.jsonl"), out var folder);
        File.WriteAllText(Path.Combine(folder, "runs.jsonl"), "{not a trajectory\n");
        var work = Path.Combine(folder, "work");

        var (exit, stdout, stderr) = await RunAsync("distill", "--recipe", path, "--work", work);

        Assert.Equal(1, exit);
        Assert.Contains("[teacher]", stdout); // the console progress shows the stage starting
        Assert.Contains("error: stage 'teacher' failed", stderr);
        Assert.Contains("run the same command again to continue", stderr);
        Assert.True(File.Exists(Path.Combine(work, "stages.json")));
    }

    /// <summary>A recipe over recorded trajectories (no sandbox, no teacher run) in a fresh folder that is also its agent folder.</summary>
    private static JsonObject Recipe(string trajectories) => new()
    {
        ["teacher"] = new JsonObject { ["kind"] = "trajectories", ["file"] = trajectories },
        ["tokenizer"] = new JsonObject { ["vocab_size"] = 300 },
        ["model"] = new JsonObject
        {
            ["model_type"] = "llama", ["vocab_size"] = 300, ["hidden_size"] = 32, ["intermediate_size"] = 64, ["num_hidden_layers"] = 1,
            ["num_attention_heads"] = 2, ["num_key_value_heads"] = 1, ["max_position_embeddings"] = 256,
        },
        ["sft"] = new JsonObject { ["max_steps"] = 1, ["seq_len"] = 256 },
        ["export"] = new JsonObject(),
    };

    private static string Write(JsonObject recipe, out string folder)
    {
        folder = TinyModels.TempPath("distill-cli");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "distill.json");
        File.WriteAllText(path, recipe.ToJsonString());
        return path;
    }
}
