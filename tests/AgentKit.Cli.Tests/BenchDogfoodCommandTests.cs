using System.Text.Json;

namespace AgentKit.Cli.Tests;

public sealed class BenchDogfoodCommandTests
{
    [Fact]
    public async Task Bench_dogfood_fuzzes_the_chosen_parsers_and_reports_figures_per_target()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-cli-tests", "dogfood-" + Guid.NewGuid().ToString("N")[..8]);

        // A generous input timeout: on a loaded machine a worker's first inputs (JIT) must not count as hangs, or the
        // campaign's coverage could fall short of what the seeds reach when replayed afterwards.
        var (exit, stdout, stderr) = await CliRun.RunAsync("bench", "dogfood", "--seconds-per-target", "1", "--targets", "action,gbnf", "--seed", "3", "--timeout-ms", "10000", "--out", dir, "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var targets = report.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["action", "gbnf"], targets.Select(t => t.GetProperty("target").GetString()));
        foreach (var target in targets)
        {
            // The seeds ran through the instrumented parser; how many mutants follow in 1 s depends on the machine's load.
            Assert.True(target.GetProperty("seed_edges").GetInt32() > 0);
            Assert.True(target.GetProperty("edges").GetInt32() >= target.GetProperty("seed_edges").GetInt32());
            Assert.Empty(target.GetProperty("crashes").EnumerateArray());
            Assert.True(Directory.Exists(Path.Combine(dir, target.GetProperty("target").GetString()!, "crashes")));
        }
    }

    [Theory]
    [InlineData("--seconds-per-target", "0")]
    [InlineData("--workers", "0")]
    [InlineData("--timeout-ms", "1")]
    [InlineData("--targets", "gguf,nope")]
    public async Task Bench_dogfood_rejects_bad_settings_with_exit_2(string option, string value)
    {
        var (exit, _, stderr) = await CliRun.RunAsync("bench", "dogfood", option, value);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }
}
