using AgentKit.Fuzzing.LanguageModel;
using AgentKit.Fuzzing.Tests.Guidance;
using Xunit.Abstractions;

namespace AgentKit.Fuzzing.Tests.LanguageModel;

/// <summary>Model-written inputs in a real builtin campaign on the toy command parser (<c>unlock</c> + <c>code % 97 == 42</c>).</summary>
public sealed class LmSeedingTests(ToyBlockTargets toy, ITestOutputHelper output) : IClassFixture<ToyBlockTargets>
{
    private const double Seconds = 15;

    private static readonly FuzzHarness Commands = FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.CommandParser.Parse", ["System.FormatException"]);

    /// <summary>The block of Interpret behind <c>code % 97 != 42</c> (the one that calls Unlock).</summary>
    private int ChecksumTarget()
    {
        var unlock = toy.Entry("CommandParser::Unlock").ProbeId;
        return toy.Map.InMethod("CommandParser::Interpret").Single(b => b.Callees.Contains(unlock)).ProbeId;
    }

    private static (InstrumentedTargetAndOptions Campaign, string Dir) Prepare(string name, double seconds, LmSeedingOptions? lm)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var seeds = Path.Combine(dir + "-seeds");
        Directory.CreateDirectory(seeds);
        // A command that reaches the checksum test; what is left is the arithmetic.
        File.WriteAllText(Path.Combine(seeds, "unlock"), "unlock 5");
        var target = FuzzCampaign.Prepare(new FuzzTarget([ToyTarget.ParserPath], [], "toy"), Commands, dir, ToyTarget.Cache);
        return (new(target, ToyTarget.Options(dir, seconds, seeds) with { LanguageModel = lm }), dir);
    }

    private bool CorpusCovers(string dir, int block) =>
        Directory.EnumerateFiles(Path.Combine(dir, "corpus")).Any(f => toy.Commands.Run(File.ReadAllBytes(f)).Blocks.Contains(block));

    [Fact]
    public async Task A_generator_that_reads_the_slice_opens_the_checksum_branch_that_mutation_alone_does_not()
    {
        var generator = new SliceReadingGenerator();
        var lm = new LmSeedingOptions { Generator = generator, Interval = TimeSpan.FromSeconds(1), Questions = 4, Candidates = 1 };
        // Long enough for the model's first round on a loaded machine (worker start, decompiler warm-up); short for mutation.
        var (withLm, lmDir) = Prepare("lm-slice", Seconds, lm);
        var (alone, aloneDir) = Prepare("lm-none", Seconds, null);

        var report = await FuzzCampaign.RunAsync(withLm.Target, Commands, withLm.Options);
        var baseline = await FuzzCampaign.RunAsync(alone.Target, Commands, alone.Options);

        var stats = Assert.IsType<LmReport>(report.Lm);
        output.WriteLine($"with the model: opened {string.Join(',', stats.BranchesOpened)} first at {stats.FirstOpenedSeconds} s; {stats.Rounds} rounds, "
            + $"{stats.InputsTried} tried, {stats.InputsAddedCoverage} added, model {stats.ModelSeconds} s; {report.Execs} execs, {report.Edges} edges");
        output.WriteLine($"mutation alone: {baseline.Execs} execs, {baseline.Edges} edges, checksum opened: {CorpusCovers(aloneDir, ChecksumTarget())}");
        Assert.True(stats.Rounds >= 1, $"rounds {stats.Rounds}");
        Assert.True(stats.InputsTried > 0, $"tried {stats.InputsTried}");
        Assert.True(stats.InputsAddedCoverage >= 1, $"added {stats.InputsAddedCoverage}");
        Assert.Contains(ChecksumTarget(), stats.BranchesOpened);
        Assert.Equal(0, stats.ModelErrors);
        Assert.Equal("slice-reader", stats.Model);
        Assert.InRange(stats.ModelShare, 0, 1);
        Assert.True(CorpusCovers(lmDir, ChecksumTarget()));
        // The same seed, budget and workers without the model: the checksum stays closed.
        Assert.Null(baseline.Lm);
        Assert.False(CorpusCovers(aloneDir, ChecksumTarget()), "mutation alone opened the checksum branch");
        // The report on disk carries the section.
        var json = File.ReadAllText(Path.Combine(lmDir, "stats.json"));
        Assert.Contains("\"lm\":", json, StringComparison.Ordinal);
        Assert.Contains("\"branches_opened\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_throws_hangs_or_writes_junk_is_counted_and_the_campaign_finishes()
    {
        var generator = new BadGenerator(BadGenerator.Failure.Throw, BadGenerator.Failure.Junk, BadGenerator.Failure.Hang);
        var lm = new LmSeedingOptions
        {
            Generator = generator, Interval = TimeSpan.FromMilliseconds(300), Questions = 2, Candidates = 3,
            RoundBudget = TimeSpan.FromMilliseconds(500),
        };
        var (campaign, _) = Prepare("lm-bad", 8, lm);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = await FuzzCampaign.RunAsync(campaign.Target, Commands, campaign.Options);

        Assert.InRange(clock.Elapsed.TotalSeconds, 7, 25); // a hung model call does not hold the campaign
        Assert.True(report.Execs > 100, $"execs {report.Execs}");
        var stats = Assert.IsType<LmReport>(report.Lm);
        Assert.True(stats.Rounds >= 2, $"rounds {stats.Rounds}");
        Assert.True(stats.ModelErrors >= 2, $"errors {stats.ModelErrors}"); // a throw and a hang at least
        Assert.True(stats.UnusableAnswers >= 2, $"unusable {stats.UnusableAnswers}"); // "" and an empty fence
        Assert.True(stats.InputsTried >= 1, $"tried {stats.InputsTried}"); // the garbage line is a fair input
        Assert.NotNull(stats.LastError);
        Assert.DoesNotContain(ChecksumTarget(), stats.BranchesOpened);
    }

    [Fact]
    public void Options_are_checked_when_set()
    {
        var generator = new SliceReadingGenerator();
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, Questions = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, Candidates = 65 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, Interval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, StallExecs = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, Temperature = -1 });
        Assert.Throws<ArgumentNullException>(() => new LmSeedingOptions { Generator = null! });
        Assert.Equal(4, new LmSeedingOptions { Generator = generator }.Questions);
    }

    private sealed record InstrumentedTargetAndOptions(AgentKit.Fuzzing.Instrumentation.InstrumentedTarget Target, FuzzCampaignOptions Options);
}
