using AgentKit.Tools.Dogfood;

namespace AgentKit.Fuzzing.Tests.Dogfood;

/// <summary>
/// The short dogfood run: every parser fuzzed for a few seconds by the builtin engine. Any crash or hang fails the test
/// with its signature and saved input; each one fixed gets a regression test beside this file.
/// </summary>
[Collection("campaigns")] // campaigns share 2 cores: one at a time
public sealed class DogfoodCampaignTests
{
    /// <summary>
    /// Findings in code another engineer owns and is changing now: reported to them with their inputs, tolerated here by
    /// signature (target, exception and top frame) so this test guards everything else. Remove an entry once its fix is
    /// merged, and add the regression test with the fix.
    /// </summary>
    // Findings not fixed yet (none now). The first, invalid UTF-8 inside a JSON string of a chat request (a 500), was
    // fixed by the server's body reader refusing non-UTF-8 bodies; ChatRequestRegression keeps its inputs.
    private static readonly (string Target, string SignaturePrefix, string What)[] OpenFindings = [];

    [Fact]
    public async Task Every_parser_survives_a_short_campaign_from_its_seeds()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "dogfood-" + Guid.NewGuid().ToString("N")[..8]);
        var report = await DogfoodCampaign.RunAsync(new DogfoodOptions
        {
            OutputDirectory = dir,
            DurationPerTarget = TimeSpan.FromSeconds(3),
            Workers = 2,
            // Parsers of inputs this small answer in microseconds: only a real loop runs for seconds, even on a loaded CI machine.
            ExecTimeout = TimeSpan.FromSeconds(5),
            MemoryLimitMb = 512,
            Seed = 7,
            CacheDirectory = ToyTarget.Cache,
        });

        Assert.Equal(DogfoodTarget.All.Select(t => t.Name), report.Targets.Select(t => t.Target));
        var problems = new List<string>();
        foreach (var row in report.Targets)
        {
            // Mutants ran (the seeds alone are a handful) and reached parser code beyond what the seeds reach.
            if (row.Execs < 50) // a loaded 2-core machine ran the slowest parser (gguf) 178 times in 3 s
                problems.Add($"{row.Target}: only {row.Execs} execs in {row.Seconds} s");
            if (row.SeedEdges is not { } seedEdges || seedEdges < 20 || row.Edges <= seedEdges)
                problems.Add($"{row.Target}: {row.Edges} edges after fuzzing, {row.SeedEdges} from the seeds alone: the instrumented parser did not run");
            problems.AddRange(row.Crashes.Where(c => !IsOpenFinding(row.Target, c.Signature)).Select(c => $"{row.Target}: {c.Kind} {c.Signature} (input {c.File}: {Convert.ToBase64String(File.ReadAllBytes(c.File))})"));
            if (row.Hangs > 0)
                problems.Add($"{row.Target}: {row.Hangs} hang(s) saved in {Path.Combine(row.CampaignDirectory, "hangs")}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool IsOpenFinding(string target, string signature) =>
        OpenFindings.Any(f => f.Target == target && signature.StartsWith(f.SignaturePrefix, StringComparison.Ordinal));
}
