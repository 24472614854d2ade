namespace AgentKit.Fuzzing.Tests;

[Collection("campaigns")] // campaigns share 2 cores: run them one at a time so timings hold
public sealed class CampaignTests
{
    [Fact]
    public async Task Finds_the_deep_bug_and_saves_crash_stack_overflow_and_hang_without_stopping_then_resumes()
    {
        var (target, dir) = ToyTarget.Prepare("toy");
        var seeds = Path.Combine(dir, "..", Path.GetFileName(dir) + "-seeds");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "1-valid"), "[dxxxx]\nkey=1\n");
        File.WriteAllText(Path.Combine(seeds, "2-crash"), "key=!boom\n");
        File.WriteAllText(Path.Combine(seeds, "3-overflow"), new string('(', 300_000));
        File.WriteAllText(Path.Combine(seeds, "4-hang"), "~~\n");
        File.WriteAllText(Path.Combine(seeds, "5-valid"), "# comment\nname=value\n");

        var report = await FuzzCampaign.RunAsync(target, ToyTarget.Harness, ToyTarget.Options(dir, 120, seeds) with { StopAfterCrashes = 3 });
        // Alone it stops after a few seconds; the generous cap is for CI, where other test assemblies share the 2 cores.
        Assert.True(report.Seconds < 110, $"took {report.Seconds} s without finding the three crashes; found: {string.Join(" | ", report.Crashes.Select(c => c.Kind + " " + c.Signature))}; execs {report.Execs}, edges {report.Edges}, corpus {report.Corpus}, hangs {report.Hangs}");

        Assert.Contains(report.Crashes, c => c.Kind == "exception" && c.Signature.StartsWith("System.DivideByZeroException", StringComparison.Ordinal));
        Assert.Contains(report.Crashes, c => c.Kind == "stack-overflow");
        // The hang seed is saved (mutants of it that also hang may be saved too).
        Assert.True(report.Hangs >= 1);
        Assert.True(File.Exists(Path.Combine(dir, "hangs", Fuzzing.Engine.CampaignDirectory.Hash("~~\n"u8))));
        // The deep bug needs three guided steps from the seed: found by coverage feedback, after the other findings.
        var found = string.Join(" | ", report.Crashes.Select(c => c.Kind + " " + c.Signature));
        var deeps = report.Crashes.Where(c => c.Signature.StartsWith("System.IndexOutOfRangeException", StringComparison.Ordinal)).ToList();
        Assert.True(deeps.Count == 1, $"expected the deep bug once; found: {found}");
        var deep = deeps[0];
        Assert.Contains("ConfigParser.Section", deep.Signature, StringComparison.Ordinal);
        Assert.Contains("[deep", File.ReadAllText(deep.File), StringComparison.Ordinal);
        Assert.True(File.Exists(deep.File + ".json"));
        // No fixed exec count: a lucky run reaches the deep bug (and stops) after a few hundred execs. Mutants were run, though:
        // far more inputs than the corpus kept.
        Assert.True(report.Execs > 2 * report.Corpus, $"{report.Execs} execs for a corpus of {report.Corpus}");
        Assert.True(report.Edges > 10);
        Assert.True(File.Exists(Path.Combine(dir, "stats.json")));
        Assert.True(File.Exists(Path.Combine(dir, "plot_data.csv")));

        // Resume: the corpus and findings come back, and nothing is found twice.
        var corpusFiles = Directory.GetFiles(Path.Combine(dir, "corpus")).Length;
        // Long enough for two workers to start on a loaded machine and replay the saved corpus, which rebuilds the edges.
        var resumed = await FuzzCampaign.RunAsync(target, ToyTarget.Harness, ToyTarget.Options(dir, 6));
        Assert.True(resumed.Corpus >= corpusFiles * 9 / 10, $"resumed corpus {resumed.Corpus} < saved {corpusFiles}");
        Assert.True(resumed.Edges >= report.Edges * 9 / 10);
        Assert.Equal(report.Crashes.Select(c => c.Signature).Order(), resumed.Crashes.Select(c => c.Signature).Order().Take(report.Crashes.Count));
        Assert.Equal(report.Crashes.Count, Directory.GetFiles(Path.Combine(dir, "crashes"), "*.json").Length);
        Assert.Equal(report.TotalExecs + resumed.Execs, resumed.TotalExecs);
    }
}
