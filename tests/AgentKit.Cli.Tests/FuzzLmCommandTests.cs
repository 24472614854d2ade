using System.Text.Json;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit fuzz --lm | --lm-endpoint</c>: flag checks, and one short campaign with a tiny GGUF writing inputs.</summary>
public sealed class FuzzLmCommandTests
{
    private static string[] Fuzz(params string[] extra) =>
        ["fuzz", "--target", "Not.A.Package@1.0.0", "--harness", "json", "--out", Path.GetTempPath(), "--seconds", "1", .. extra];

    [Theory]
    [InlineData("not both", "--lm", "model.gguf", "--lm-endpoint", "http://127.0.0.1:1/v1")]
    [InlineData("--lm: model file not found", "--lm", "no-such-model.gguf")]
    [InlineData("--lm-endpoint needs --lm-model", "--lm-endpoint", "http://127.0.0.1:1/v1")]
    [InlineData("--lm-endpoint must be an absolute URL", "--lm-endpoint", "not a url", "--lm-model", "m")]
    [InlineData("--lm-every must be at least 1", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-every", "0")]
    [InlineData("--lm-questions must be between 1 and 64", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-questions", "65")]
    [InlineData("--lm-tokens must be at least 50", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-tokens", "10")]
    [InlineData("--lm-max-tokens must be between 1 and 32768", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-max-tokens", "0")]
    [InlineData("--lm-candidates must be between 1 and 64", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-candidates", "65")]
    [InlineData("--lm-retries must be between 0 and 8", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-retries", "9")]
    [InlineData("--lm-opening must be between 0 and 256", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-opening", "257")]
    [InlineData("--lm-generate must be between 0 and 4096", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-generate", "4097")]
    [InlineData("--lm-generate must be between 0 and 4096", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-generate", "-1")]
    [InlineData("--lm-temperature must be between 0 and 2", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-temperature", "2.5")]
    [InlineData("--lm-temperature must be between 0 and 2", "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-temperature", "NaN")]
    [InlineData("--lm-retries needs --lm MODEL or --lm-endpoint URL", "--lm-retries", "1")]
    [InlineData("--lm-opening needs --lm MODEL or --lm-endpoint URL", "--lm-opening", "40")]
    [InlineData("--lm-generate needs --lm MODEL or --lm-endpoint URL", "--lm-generate", "160")]
    [InlineData("--lm-tokens needs --lm MODEL or --lm-endpoint URL", "--lm-tokens", "200")]
    [InlineData("--lm-every needs --lm MODEL or --lm-endpoint URL", "--lm-every", "5")]
    [InlineData("--lm-model needs --lm MODEL or --lm-endpoint URL", "--lm-model", "m")]
    public async Task Bad_lm_flags_are_usage_errors_naming_the_flag_before_any_work(string expected, params string[] flags)
    {
        var (exit, _, stderr) = await RunAsync(Fuzz(flags));

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [AflFact]
    public async Task Engine_afl_accepts_the_lm_flags_and_reports_its_lm_section()
    {
        var target = typeof(AgentKit.Fuzzing.ToyParser.CommandParser).Assembly.Location;
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-cli-fuzz-afl-lm-" + Guid.NewGuid().ToString("N")[..8]);
        // Nothing listens on port 1: every model call fails, is counted, and afl's campaign still finishes.
        var (exit, stdout, stderr) = await RunAsync("fuzz", "--target", target, "--harness", "AgentKit.Fuzzing.ToyParser.CommandParser.Parse",
            "--expect", "System.FormatException", "--out", dir, "--seconds", "5", "--workers", "1", "--timeout-ms", "500", "--engine", "afl",
            "--lm-endpoint", "http://127.0.0.1:1/v1", "--lm-model", "m", "--lm-every", "1", "--lm-questions", "2", "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("afl", report.RootElement.GetProperty("engine").GetString());
        var lm = report.RootElement.GetProperty("lm");
        Assert.Equal("m", lm.GetProperty("model").GetString());
        Assert.Equal(0, lm.GetProperty("inputs_added_coverage").GetInt32());
    }

    [Fact]
    public async Task A_directory_that_is_not_a_checkpoint_is_named_as_the_lm_flag()
    {
        var empty = Directory.CreateTempSubdirectory("agentkit-lm-").FullName;
        var (exit, _, stderr) = await RunAsync(Fuzz("--lm", empty));

        Assert.Equal(2, exit);
        Assert.Contains("--lm: ", stderr);
        Assert.Contains("not a training checkpoint", stderr);
    }

    [Fact]
    public async Task A_checkpoint_whose_weights_are_damaged_is_named_as_the_lm_flag()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 7);
        File.WriteAllBytes(Path.Combine(checkpoint, "model.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        var (exit, _, stderr) = await RunAsync(Fuzz("--lm", checkpoint));

        Assert.Equal(2, exit);
        Assert.Contains("--lm: Safetensors file", stderr); // the export's reading error, named as the flag the user gave
    }

    [Fact]
    public async Task A_campaign_with_a_gguf_model_reports_its_lm_section()
    {
        var target = typeof(AgentKit.Fuzzing.ToyParser.CommandParser).Assembly.Location;
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-cli-fuzz-lm-" + Guid.NewGuid().ToString("N")[..8]);
        var (exit, stdout, stderr) = await RunAsync("fuzz", "--target", target, "--harness", "AgentKit.Fuzzing.ToyParser.CommandParser.Parse",
            "--expect", "System.FormatException", "--out", dir, "--seconds", "30", "--workers", "1", "--timeout-ms", "500",
            "--lm", TinyModels.RandomLlamaPath(), "--lm-every", "1", "--lm-questions", "1", "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var lm = report.RootElement.GetProperty("lm");
        Assert.Contains("tiny-llama", lm.GetProperty("model").GetString());
        // The random model writes nonsense: what matters is that it was asked, answered, and the campaign still finished.
        Assert.True(lm.GetProperty("questions").GetInt32() >= 1, stdout);
        Assert.True(lm.GetProperty("completions").GetInt32() >= 1, stdout);
        Assert.Equal(0, lm.GetProperty("model_errors").GetInt32());
        Assert.True(lm.GetProperty("model_seconds").GetDouble() > 0, stdout);
        Assert.True(report.RootElement.GetProperty("execs").GetInt64() > 0, stdout);
        Assert.True(File.Exists(Path.Combine(dir, "stats.json")));
    }
}
