using System.Text.Json;
using AgentKit.Cli.Hosting;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests.Hosting;

[Collection(AgentCli.Collection)]
public sealed class CheckpointModelTests
{
    [Fact]
    public void A_checkpoint_is_exported_once_and_again_when_its_files_change()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 41);

        var gguf = CheckpointModel.Resolve(checkpoint)!;
        var written = File.GetLastWriteTimeUtc(gguf);
        var again = CheckpointModel.Resolve(checkpoint);
        File.SetLastWriteTimeUtc(Path.Combine(checkpoint, "tokenizer.json"), DateTime.UtcNow.AddMinutes(5));
        var changed = CheckpointModel.Resolve(checkpoint)!;

        Assert.EndsWith(".gguf", gguf, StringComparison.Ordinal);
        Assert.StartsWith(CheckpointModel.CacheDirectory, gguf, StringComparison.Ordinal);
        Assert.Equal((gguf, written), (again, File.GetLastWriteTimeUtc(again!))); // from the cache, not rewritten
        Assert.NotEqual(gguf, changed);
        Assert.True(File.Exists(changed));
        Assert.Empty(Directory.GetFiles(CheckpointModel.CacheDirectory, "*.partial"));
    }

    [Fact]
    public void Files_pass_through_and_a_folder_that_is_no_checkpoint_is_a_usage_error()
    {
        Assert.Null(CheckpointModel.Resolve(null));
        Assert.Equal("model.gguf", CheckpointModel.Resolve("model.gguf"));
        var empty = TinyModels.TempPath("not-a-checkpoint");
        Directory.CreateDirectory(empty);
        Assert.Contains("is a folder but not a training checkpoint", Assert.Throws<CliUsageException>(() => CheckpointModel.Resolve(empty)).Message);
        var noTokenizer = TinyCheckpoint.Create(seed: 42);
        File.Delete(Path.Combine(noTokenizer, "tokenizer.json"));
        Assert.Contains("--model: ", Assert.Throws<CliUsageException>(() => CheckpointModel.Resolve(noTokenizer)).Message);
    }

    [Fact]
    public async Task Atlas_eval_runs_a_checkpoint_directory_given_as_the_model()
    {
        var atlas = Path.Combine(AgentCli.RepoRoot(), "agents", "atlas");
        var questions = TinyModels.TempPath("q.jsonl");
        await File.WriteAllLinesAsync(questions, [File.ReadAllLines(Path.Combine(atlas, "questions", "test.jsonl")).First(l => l.Contains("\"family\":\"lookup\""))]);
        var checkpoint = TinyCheckpoint.Create(seed: 43);

        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "atlas", "eval", "--agent", atlas, "--questions", questions, "--n", "1", "--seed", "1", "--max-steps", "1",
            "--model", checkpoint, "--threads", "2", "--context", "4096", "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(CheckpointModel.Resolve(checkpoint), root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("configurations")[0].GetProperty("questions").GetInt32());
    }
}
