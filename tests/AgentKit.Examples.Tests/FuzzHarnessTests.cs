using System.Text.RegularExpressions;

namespace AgentKit.Examples.Tests;

[Collection("examples")]
public sealed partial class FuzzHarnessTests : IDisposable
{
    private readonly string _campaign = Path.Combine(Path.GetTempPath(), "agentkit-examples-fuzz-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        foreach (var folder in new[] { _campaign, _campaign + "-seeds" })
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Short_campaign_finds_the_parsers_bug_and_saves_its_input()
    {
        var run = await ExampleProcess.RunAsync("FuzzHarness", ["--seconds", "60", "--out", _campaign], TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        var figures = Figures().Match(run.Output);
        Assert.True(figures.Success, run.Output);
        Assert.True(long.Parse(figures.Groups["execs"].Value) > 0);
        Assert.True(int.Parse(figures.Groups["edges"].Value) > 0);
        // The planted bug: a unit with nothing before it makes the error message index before the string.
        Assert.Equal("1", figures.Groups["crashes"].Value);
        Assert.Contains("crash: System.IndexOutOfRangeException", run.Output);
        var input = Assert.Single(Directory.GetFiles(Path.Combine(_campaign, "crashes"), "crash-*"), f => !f.EndsWith(".json", StringComparison.Ordinal));
        var text = File.ReadAllText(input);
        Assert.True(text.Length > 0 && !char.IsAsciiDigit(text[0]), $"crash input '{text}' should start with a non-digit");
    }

    [GeneratedRegex(@"executions: (?<execs>\d+) .*edges: (?<edges>\d+), corpus: \d+, crashes: (?<crashes>\d+)")]
    private static partial Regex Figures();
}
