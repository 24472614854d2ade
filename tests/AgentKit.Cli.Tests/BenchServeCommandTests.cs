using System.Text.Json;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

public sealed class BenchServeCommandTests
{
    [Fact]
    public async Task Bench_serve_reports_three_modes_with_identical_output_and_ratios()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["bench", "serve", "--model", TinyModels.RandomLlamaPath(), "--n", "2", "--max-tokens", "4", "--repeats", "2", "--threads", "2", "--json"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        using var report = JsonDocument.Parse(stdout.ToString());
        var root = report.RootElement;
        Assert.True(root.GetProperty("same_output").GetBoolean());
        var modes = root.GetProperty("modes").EnumerateArray().ToList();
        Assert.Equal(["in-process", "http", "http stream"], modes.Select(m => m.GetProperty("mode").GetString()));
        Assert.Equal(1.0, modes[0].GetProperty("ratio_to_in_process").GetDouble());
        Assert.All(modes, m => Assert.Equal(8, m.GetProperty("tokens").GetInt32())); // 2 candidates x 4 tokens, end-of-generation suppressed
        Assert.All(modes, m => Assert.True(m.GetProperty("median_ms").GetDouble() > 0));
    }

    [Theory]
    [InlineData("--n", "0")]
    [InlineData("--repeats", "0")]
    [InlineData("--max-tokens", "0")]
    public async Task Bench_serve_rejects_bad_settings_with_exit_2(string option, string value)
    {
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["bench", "serve", option, value], new StringWriter(), stderr);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains(option, stderr.ToString());
    }
}
