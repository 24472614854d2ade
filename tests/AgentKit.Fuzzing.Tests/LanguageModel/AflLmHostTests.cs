using AgentKit.Fuzzing.Afl;
using AgentKit.Fuzzing.LanguageModel;
using AgentKit.Fuzzing.Tests.Guidance;
using Xunit.Abstractions;

namespace AgentKit.Fuzzing.Tests.LanguageModel;

/// <summary>
/// Model-written inputs beside afl-fuzz (<see cref="AflLmHost"/>): the toy command parser (<c>unlock</c> +
/// <c>code % 97 == 42</c>), the slice-reading generator, and afl's main instance importing the kept input from <c>corpus/</c>.
/// </summary>
[Collection("campaigns")]
public sealed class AflLmHostTests(ToyBlockTargets toy, ITestOutputHelper output) : IClassFixture<ToyBlockTargets>
{
    // afl's main instance reads its -F folder when it starts and then every 30 s (AFL_SYNC_TIME=1 minute, halved for a
    // main instance): the LM input, written a few seconds in, arrives at the second sync.
    private const double Seconds = 40;

    private static readonly FuzzHarness Commands = FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.CommandParser.Parse", ["System.FormatException"]);

    /// <summary>The block of Interpret behind <c>code % 97 != 42</c> (the one that calls Unlock).</summary>
    private int ChecksumTarget()
    {
        var unlock = toy.Entry("CommandParser::Unlock").ProbeId;
        return toy.Map.InMethod("CommandParser::Interpret").Single(b => b.Callees.Contains(unlock)).ProbeId;
    }

    [AflFact]
    public async Task A_generator_that_reads_the_slice_opens_the_checksum_branch_and_afl_imports_its_input()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "afl-lm-" + Guid.NewGuid().ToString("N")[..8]);
        var seeds = dir + "-seeds";
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "unlock"), "unlock 5"); // reaches the checksum test; the arithmetic is left
        var target = FuzzCampaign.Prepare(new FuzzTarget([ToyTarget.ParserPath], [], "toy"), Commands, dir, ToyTarget.Cache);
        var lm = new LmSeedingOptions { Generator = new SliceReadingGenerator(), Interval = TimeSpan.FromSeconds(1), Questions = 4, Candidates = 1 };
        var options = ToyTarget.Options(dir, Seconds, seeds) with { Workers = 1, LanguageModel = lm };
        var checksum = ChecksumTarget();

        var report = await AflCampaign.RunAsync(target, Commands, options);

        var stats = Assert.IsType<LmReport>(report.Lm);
        var queue = Directory.GetFiles(Path.Combine(dir, "afl", "out", "main", "queue"), "id:*");
        // afl names what it took from a -F folder "sync:FOLDER_N" (here corpus_0).
        var imported = queue.Where(f => Path.GetFileName(f).Contains(",sync:corpus_", StringComparison.Ordinal)).ToList();
        var reached = imported.Where(f => toy.Commands.Run(File.ReadAllBytes(f)).Blocks.Contains(checksum)).ToList();
        output.WriteLine($"afl + LM, {report.Seconds} s: {stats.Rounds} rounds, {stats.Questions} questions, {stats.InputsTried} tried, "
            + $"{stats.InputsAddedCoverage} added, opened {string.Join(',', stats.BranchesOpened)} (first at {stats.FirstOpenedSeconds} s), "
            + $"model {stats.ModelSeconds} s; afl {report.Execs} execs, {report.Edges} edges, queue {queue.Length}, "
            + $"imported from corpus/ {imported.Count} ({reached.Count} open the checksum): {string.Join(' ', reached.Select(Path.GetFileName))}");
        Assert.Equal("afl", report.Engine);
        Assert.Equal("slice-reader", stats.Model);
        Assert.Equal(0, stats.ModelErrors);
        Assert.True(stats.InputsTried >= 1, $"tried {stats.InputsTried}");
        Assert.True(stats.InputsAddedCoverage >= 1, $"added {stats.InputsAddedCoverage}");
        Assert.Contains(checksum, stats.BranchesOpened);
        Assert.NotEmpty(reached); // afl ran the LM input and kept it in its own queue
        var json = File.ReadAllText(Path.Combine(dir, "stats.json"));
        Assert.Contains("\"lm\":", json, StringComparison.Ordinal);
        Assert.Contains("\"branches_opened\":", json, StringComparison.Ordinal);
    }
}
