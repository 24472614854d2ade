using System.Diagnostics;
using AgentKit.Fuzzing.LanguageModel;
using AgentKit.Fuzzing.Tests.Guidance;
using Xunit.Abstractions;

namespace AgentKit.Fuzzing.Tests.LanguageModel;

/// <summary>Model-written inputs in a real builtin campaign on the toy command parser (<c>unlock</c> + <c>code % 97 == 42</c>).</summary>
public sealed class LmSeedingTests(ToyBlockTargets toy, ITestOutputHelper output) : IClassFixture<ToyBlockTargets>
{
    // Campaigns stop as soon as what the test waits for happened; this is only the ceiling (a busy machine's first
    // round includes the decompiler's warm-up).
    private const double MaxSeconds = 120;

    private static readonly FuzzHarness Commands = FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.CommandParser.Parse", ["System.FormatException"]);

    /// <summary>The block of Interpret behind <c>code % 97 != 42</c> (the one that calls Unlock).</summary>
    private int ChecksumTarget()
    {
        var unlock = toy.Entry("CommandParser::Unlock").ProbeId;
        return toy.Map.InMethod("CommandParser::Interpret").Single(b => b.Callees.Contains(unlock)).ProbeId;
    }

    private static (AgentKit.Fuzzing.Instrumentation.InstrumentedTarget Target, FuzzCampaignOptions Options) Prepare(string name, double seconds,
        LmSeedingOptions? lm, byte[]? seed = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var seeds = dir + "-seeds";
        Directory.CreateDirectory(seeds);
        // By default a command that reaches the checksum test; what is left is the arithmetic.
        File.WriteAllBytes(Path.Combine(seeds, "unlock"), seed ?? "unlock 5"u8.ToArray());
        var target = FuzzCampaign.Prepare(new FuzzTarget([ToyTarget.ParserPath], [], "toy"), Commands, dir, ToyTarget.Cache);
        return (target, ToyTarget.Options(dir, seconds, seeds) with { LanguageModel = lm });
    }

    // Polled while the campaign writes: an entry is written as NAME.tmp and renamed, so staging files are skipped
    // (they vanish under the reader) and the entry is read under its final name.
    private bool CorpusCovers(string dir, int block, HashSet<string>? checkedFiles = null) =>
        Directory.EnumerateFiles(Path.Combine(dir, "corpus")).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Where(f => checkedFiles?.Add(f) ?? true)
            .Any(f => toy.Commands.Run(File.ReadAllBytes(f)).Blocks.Contains(block));

    /// <summary>Cancels <paramref name="stop"/> once <paramref name="done"/> holds (polled), so a campaign runs only as long as it must.</summary>
    private static async Task StopWhen(Func<bool> done, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested && !done())
            await Task.Delay(250);
        await stop.CancelAsync();
    }

    /// <summary>A campaign with <paramref name="lm"/>, stopped once its corpus covers <paramref name="block"/> (or at the ceiling).</summary>
    private async Task<((AgentKit.Fuzzing.Instrumentation.InstrumentedTarget Target, FuzzCampaignOptions Options) Campaign, FuzzReport Report)> RunUntilCovered(
        string name, LmSeedingOptions lm, int block)
    {
        var campaign = Prepare(name, MaxSeconds, lm);
        using var stop = new CancellationTokenSource();
        var seen = new HashSet<string>();
        var run = FuzzCampaign.RunAsync(campaign.Target, Commands, campaign.Options, cancellationToken: stop.Token);
        var watcher = StopWhen(() => run.IsCompleted || CorpusCovers(campaign.Options.OutputDirectory, block, seen), stop);
        var report = await run;
        await watcher;
        return (campaign, report);
    }

    [Fact]
    public async Task A_generator_that_reads_the_slice_opens_the_checksum_branch_that_mutation_alone_does_not()
    {
        var generator = new SliceReadingGenerator();
        var lm = new LmSeedingOptions { Generator = generator, Interval = TimeSpan.FromSeconds(1), Questions = 4, Candidates = 1 };
        var checksum = ChecksumTarget();
        var (withLm, report) = await RunUntilCovered("lm-slice", lm, checksum);
        // The same seed, workers and time without the model.
        var alone = Prepare("lm-none", Math.Max(5, report.Seconds), null);
        var baseline = await FuzzCampaign.RunAsync(alone.Target, Commands, alone.Options);

        var stats = Assert.IsType<LmReport>(report.Lm);
        output.WriteLine($"with the model: checksum opened after {report.Seconds} s (LM first opened at {stats.FirstOpenedSeconds} s, "
            + $"targets {string.Join(',', stats.BranchesOpened)}); {stats.Rounds} rounds, {stats.Questions} questions, {stats.InputsTried} tried, "
            + $"{stats.InputsAddedCoverage} added, model {stats.ModelSeconds} s; {report.Execs} execs, {report.Edges} edges");
        output.WriteLine($"mutation alone, {baseline.Seconds} s: {baseline.Execs} execs, {baseline.Edges} edges, "
            + $"checksum opened: {CorpusCovers(alone.Options.OutputDirectory, checksum)}");
        Assert.True(stats.Rounds >= 1, $"rounds {stats.Rounds}");
        Assert.True(stats.InputsTried > 0, $"tried {stats.InputsTried}");
        Assert.True(stats.InputsAddedCoverage >= 1, $"added {stats.InputsAddedCoverage}");
        Assert.Contains(checksum, stats.BranchesOpened);
        Assert.Equal(0, stats.ModelErrors);
        Assert.Equal("slice-reader", stats.Model);
        Assert.InRange(stats.ModelShare, 0, 1);
        Assert.True(report.Seconds < MaxSeconds - 1, "the campaign ran to its ceiling: the checksum was never covered");
        Assert.Null(baseline.Lm);
        Assert.False(CorpusCovers(alone.Options.OutputDirectory, checksum), "mutation alone opened the checksum branch");
        // The report on disk carries the section.
        var json = File.ReadAllText(Path.Combine(withLm.Options.OutputDirectory, "stats.json"));
        Assert.Contains("\"lm\":", json, StringComparison.Ordinal);
        Assert.Contains("\"branches_opened\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opening_round_asks_as_soon_as_the_seeds_have_run_without_waiting_for_the_interval()
    {
        // An hour between rounds: only the opening round can ask within the test's ceiling.
        var generator = new SliceReadingGenerator();
        var lm = new LmSeedingOptions { Generator = generator, Interval = TimeSpan.FromHours(1), OpeningQuestions = 8, Candidates = 1 };
        var (_, report) = await RunUntilCovered("lm-opening", lm, ChecksumTarget());

        var stats = Assert.IsType<LmReport>(report.Lm);
        output.WriteLine($"{report.Seconds} s: {stats.Rounds} rounds, {stats.Questions} questions, {stats.InputsTried} tried, "
            + $"opened {string.Join(',', stats.BranchesOpened)} at {stats.FirstOpenedSeconds} s");
        Assert.True(report.Seconds < MaxSeconds - 1, "the campaign ran to its ceiling: no opening round opened the checksum");
        // The opening round may be cut before it counts itself: the campaign stops as soon as the checksum is covered.
        Assert.InRange(stats.Rounds, 0, 1);
        Assert.InRange(stats.Questions, 1, 8);
        Assert.Contains(ChecksumTarget(), stats.BranchesOpened);
    }

    [Fact]
    public async Task Inputs_written_unprompted_run_beside_the_seeds_one_per_sampling_seed_with_no_question_asked()
    {
        // An hour between rounds and no opening round: only the unprompted inputs can reach the checksum. The model
        // recites one of its documents per sampling seed; one of six is a command whose code passes the checksum.
        string[] documents = ["status", "help", "unlock 12", "unlock 139", "lock", "unlock 7 now"];
        var generator = new RecitingGenerator(documents);
        var lm = new LmSeedingOptions { Generator = generator, Interval = TimeSpan.FromHours(1), GeneratedInputs = 6, Candidates = 2 };
        var (_, report) = await RunUntilCovered("lm-generate", lm, ChecksumTarget());

        var stats = Assert.IsType<LmReport>(report.Lm);
        output.WriteLine($"{report.Seconds} s: {stats.GeneratedInputs} written unprompted in {generator.Calls} calls, {stats.InputsTried} tried, "
            + $"{stats.InputsAddedCoverage} added, {stats.RepeatedAnswers} repeated");
        Assert.True(report.Seconds < MaxSeconds - 1, "the campaign ran to its ceiling: the unprompted inputs did not open the checksum");
        Assert.Equal(0, stats.Questions);
        Assert.All(generator.Prompts, turns => Assert.Equal(["system"], turns));
        // Three requests of two candidates: every candidate samples with its own seed, so six documents, none twice.
        Assert.Equal(3, generator.Calls);
        Assert.Equal(6, stats.GeneratedInputs);
        Assert.Equal(0, stats.RepeatedAnswers);
        Assert.Equal(6, stats.Completions);
    }

    [Fact]
    public void Campaigns_with_nearby_seeds_sample_their_unprompted_inputs_with_no_seed_in_common()
    {
        // Seeds 0-63 (campaigns repeated with seeds 1, 2, 3 are the usual way to measure), the most requests a campaign
        // can make (2 x 4096 completions, 4 a request): every sampling seed, candidates included, is used once.
        const int candidates = 4, requests = 2 * 4096 / candidates;
        var used = new HashSet<int>();
        for (var campaignSeed = 0; campaignSeed < 64; campaignSeed++)
            for (var request = 0; request < requests; request++)
                for (var candidate = 0; candidate < candidates; candidate++)
                    Assert.True(used.Add(unchecked(LmSeeder.GenerationSeed(campaignSeed, request, candidates) + candidate)),
                        $"campaign seed {campaignSeed}, request {request}, candidate {candidate} reuses a sampling seed");
    }

    [Fact]
    public async Task A_question_whose_answers_all_repeat_is_asked_again_hotter_and_the_new_answer_opens_the_branch()
    {
        // At the campaign's 0.8 the model only echoes the closest input, which the corpus holds; at 1.1 it reads the slice.
        var generator = new SliceReadingGenerator { EchoBelow = 1.0f };
        var lm = new LmSeedingOptions { Generator = generator, Interval = TimeSpan.FromSeconds(1), Questions = 4, Candidates = 2, RepeatRetries = 1 };
        var checksum = ChecksumTarget();
        var (campaign, report) = await RunUntilCovered("lm-retry", lm, checksum);

        var stats = Assert.IsType<LmReport>(report.Lm);
        output.WriteLine($"{report.Seconds} s: {stats.Questions} questions, {stats.Retries} retries, {stats.RepeatedAnswers} repeated, "
            + $"{stats.InputsTried} tried, {stats.InputsAddedCoverage} added");
        Assert.True(report.Seconds < MaxSeconds - 1, "the campaign ran to its ceiling: the checksum was never covered");
        Assert.True(stats.Retries >= 1, $"retries {stats.Retries}");
        Assert.True(stats.RepeatedAnswers >= 2, $"repeated {stats.RepeatedAnswers}"); // both echoes of the first ask
        Assert.Contains(checksum, stats.BranchesOpened);
        Assert.Contains("\"repeated_answers\":", File.ReadAllText(Path.Combine(campaign.Options.OutputDirectory, "stats.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the seed is not UTF-8: questions show its text form, and an echo of that is a repeat too
    public async Task Without_retries_a_model_that_only_repeats_the_corpus_tries_nothing_and_says_so(bool binarySeed)
    {
        var generator = new SliceReadingGenerator { EchoBelow = 1.0f };
        var lm = new LmSeedingOptions { Generator = generator, Interval = TimeSpan.FromMilliseconds(300), Questions = 2, Candidates = 2 };
        var campaign = Prepare("lm-repeat", MaxSeconds, lm, binarySeed ? [.. "unlock 5"u8, 0xFF] : null);

        using var stop = new CancellationTokenSource();
        var run = FuzzCampaign.RunAsync(campaign.Target, Commands, campaign.Options, cancellationToken: stop.Token);
        var watcher = StopWhen(() => run.IsCompleted || generator.Calls >= 4, stop);
        var report = await run;
        await watcher;

        var stats = Assert.IsType<LmReport>(report.Lm);
        Assert.True(report.Seconds < MaxSeconds - 1, "the generator was never called four times");
        Assert.Equal(0, stats.Retries);
        Assert.Equal(0, stats.InputsTried);
        Assert.True(stats.RepeatedAnswers >= 4, $"repeated {stats.RepeatedAnswers}");
    }

    [Fact]
    public async Task A_model_that_throws_hangs_or_writes_junk_is_counted_and_the_campaign_finishes()
    {
        // By turns: junk, a call that never returns, a throw, junk, a call that never returns…
        var generator = new BadGenerator(BadGenerator.Failure.Throw, BadGenerator.Failure.Junk, BadGenerator.Failure.Hang);
        var lm = new LmSeedingOptions
        {
            Generator = generator, Interval = TimeSpan.FromMilliseconds(300), Questions = 2, Candidates = 3,
            RoundBudget = TimeSpan.FromMilliseconds(500),
        };
        var campaign = Prepare("lm-bad", MaxSeconds, lm);

        using var stop = new CancellationTokenSource();
        var run = FuzzCampaign.RunAsync(campaign.Target, Commands, campaign.Options, cancellationToken: stop.Token);
        // Five calls: two rounds done and the third hung in its model call when the campaign is stopped.
        var watcher = StopWhen(() => run.IsCompleted || generator.Calls >= 5, stop);
        await watcher;
        var clock = Stopwatch.StartNew();
        var report = await run;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}: the hung model call held the campaign");
        Assert.True(report.Seconds < MaxSeconds - 1, "the generator was never called five times");
        Assert.True(report.Execs > 100, $"execs {report.Execs}");
        var stats = Assert.IsType<LmReport>(report.Lm);
        Assert.True(stats.Rounds >= 2, $"rounds {stats.Rounds}");
        Assert.True(stats.ModelErrors >= 2, $"errors {stats.ModelErrors}"); // a hang past the budget and a throw
        Assert.True(stats.UnusableAnswers >= 4, $"unusable {stats.UnusableAnswers}"); // "" and an empty fence, twice
        Assert.Equal(1, stats.InputsTried); // the garbage line is a fair input, run once however often it comes back
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
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, RepeatRetries = 9 });
        Assert.Equal(0, new LmSeedingOptions { Generator = generator }.RepeatRetries);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, OpeningQuestions = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, OpeningQuestions = 257 });
        Assert.Equal(0, new LmSeedingOptions { Generator = generator }.OpeningQuestions);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, GeneratedInputs = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LmSeedingOptions { Generator = generator, GeneratedInputs = 4097 });
        Assert.Equal(0, new LmSeedingOptions { Generator = generator }.GeneratedInputs);
        Assert.Throws<ArgumentNullException>(() => new LmSeedingOptions { Generator = null! });
        Assert.Equal(4, new LmSeedingOptions { Generator = generator }.Questions);
    }
}
