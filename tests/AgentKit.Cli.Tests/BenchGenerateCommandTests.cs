using System.Text.Json;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

public sealed class BenchGenerateCommandTests
{
    [Fact]
    public async Task Json_reports_both_rows_and_the_ratio_with_forced_lengths()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["bench", "generate", "--model", TinyModels.RandomLlamaPath(), "--candidates", "4", "--max-tokens", "6",
            "--repeats", "1", "--prompt-tokens", "40", "--threads", "2", "--json"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal(40, root.GetProperty("prompt_tokens").GetInt32());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([1, 4], rows.Select(r => r.GetProperty("n").GetInt32()));
        Assert.Equal([6, 24], rows.Select(r => r.GetProperty("generated_tokens").GetInt32())); // every candidate ran to --max-tokens
        var ratio = root.GetProperty("wall_ratio").GetDouble();
        Assert.Equal(Math.Round(rows[1].GetProperty("wall_ms_median").GetDouble() / rows[0].GetProperty("wall_ms_median").GetDouble(), 2), ratio, 2);
    }

    [Theory]
    [InlineData("--candidates", "1")]
    [InlineData("--repeats", "0")]
    [InlineData("--max-tokens", "0")]
    public async Task Bad_arguments_exit_2(string option, string value)
    {
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["bench", "generate", "--model", TinyModels.RandomLlamaPath(), option, value], new StringWriter(), stderr);
        Assert.Equal(2, exit);
        Assert.Contains(option, stderr.ToString());
    }
}
