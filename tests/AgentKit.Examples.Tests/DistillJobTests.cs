namespace AgentKit.Examples.Tests;

[Collection("examples")]
public sealed class DistillJobTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "agentkit-examples-distill-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Tiny_recipe_runs_every_stage_then_a_second_run_skips_them_all()
    {
        var first = await ExampleProcess.RunAsync("DistillJob", ["--work", _work, "--threads", "2"], TimeSpan.FromMinutes(3));

        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        Assert.Contains("teacher: 6/6 correct", first.Output);
        Assert.Contains("sft: 3 steps", first.Output);
        Assert.Contains("stages: teacher ran, sft-data ran, tokenizer ran, sft ran, gguf ran;", first.Output);
        var model = Path.Combine(_work, "student.gguf");
        Assert.Contains($"model: {model}", first.Output);
        Assert.Equal("GGUF"u8.ToArray(), File.ReadAllBytes(model)[..4]);

        var second = await ExampleProcess.RunAsync("DistillJob", ["--work", _work, "--threads", "2"], TimeSpan.FromMinutes(2));

        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.Contains("stages: teacher skipped, sft-data skipped, tokenizer skipped, sft skipped, gguf skipped;", second.Output);
    }

    [Fact]
    public async Task Missing_recipe_is_a_one_line_error_with_exit_2()
    {
        var run = await ExampleProcess.RunAsync("DistillJob", ["--recipe", "no/such/distill.json", "--work", _work], TimeSpan.FromMinutes(1));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: recipe not found: no/such/distill.json", run.Error.Trim());
        Assert.False(Directory.Exists(_work)); // nothing ran
    }
}
