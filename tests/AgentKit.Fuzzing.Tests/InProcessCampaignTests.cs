using System.Text;

namespace AgentKit.Fuzzing.Tests;

/// <summary>Campaigns in <see cref="FuzzMode.InProcess"/>: findings come out of the workers' own loops.</summary>
[Collection("campaigns")]
public sealed class InProcessCampaignTests
{
    private static string Seeds(string dir, params string[] inputs)
    {
        var seeds = Path.Combine(dir, "..", Path.GetFileName(dir) + "-seeds");
        Directory.CreateDirectory(seeds);
        for (var i = 0; i < inputs.Length; i++)
            File.WriteAllText(Path.Combine(seeds, $"{i}"), inputs[i]);
        return seeds;
    }

    [Fact]
    public async Task Crashes_found_by_the_workers_are_minimised_and_recorded_and_the_campaign_goes_on_to_the_deep_bug()
    {
        var (target, dir) = ToyTarget.Prepare("inproc");
        // No seed crashes: every finding here comes from a worker's own mutants.
        var seeds = Seeds(dir, "[dxxxx]\nkey=1\n", "# comment\nname=value\n");
        var options = ToyTarget.Options(dir, 120, seeds) with { Mode = FuzzMode.InProcess, StopAfterCrashes = 2, Dictionary = ["!"] };

        var report = await FuzzCampaign.RunAsync(target, ToyTarget.Harness, options);

        var found = string.Join(" | ", report.Crashes.Select(c => c.Kind + " " + c.Signature));
        Assert.True(report.Seconds < 110, $"took {report.Seconds} s; found: {found}; execs {report.Execs}, edges {report.Edges}, corpus {report.Corpus}");
        var shallow = report.Crashes.First(c => c.Signature.StartsWith("System.DivideByZeroException", StringComparison.Ordinal));
        var deep = Assert.Single(report.Crashes, c => c.Signature.StartsWith("System.IndexOutOfRangeException", StringComparison.Ordinal));
        Assert.Contains("ConfigParser.Section", deep.Signature, StringComparison.Ordinal);
        Assert.Contains("[deep", File.ReadAllText(deep.File), StringComparison.Ordinal);
        // Saved with its record (minimising runs in the worker that found it, and stops when the campaign does).
        Assert.Contains("=!", File.ReadAllText(shallow.File), StringComparison.Ordinal);
        Assert.Contains("DivideByZeroException", File.ReadAllText(shallow.File + ".json"), StringComparison.Ordinal);
        Assert.True(File.Exists(deep.File + ".json"));
        Assert.True(report.Execs > 10 * report.Corpus, $"{report.Execs} execs for a corpus of {report.Corpus}");
        Assert.Equal(Directory.GetFiles(Path.Combine(dir, "corpus")).Length, report.Corpus);
        // The workers' time in the target: some of every worker's time, never more than all of it.
        Assert.NotNull(report.TargetSeconds);
        Assert.InRange(report.TargetSeconds.Value, 0.01, report.Workers * report.Seconds);
        Assert.InRange(report.TargetShare!.Value, 0.0, 1.0);
    }

    [Fact]
    public async Task A_hang_in_a_worker_is_saved_and_the_worker_replaced()
    {
        var (target, dir) = ToyTarget.Prepare("inproc-hang");
        var seeds = Seeds(dir, "~a\n", "a=1\n");
        var options = ToyTarget.Options(dir, 30, seeds) with
        {
            // The planted hang never ends; a generous timeout keeps a descheduled input on a loaded machine from passing for one.
            Mode = FuzzMode.InProcess, Dictionary = ["~~"], ExecTimeout = TimeSpan.FromSeconds(2),
        };

        var report = await FuzzCampaign.RunAsync(target, ToyTarget.Harness, options);

        Assert.True(report.Hangs >= 1, $"no hang in {report.Execs} execs");
        foreach (var hang in Directory.GetFiles(Path.Combine(dir, "hangs")))
            Assert.Contains(File.ReadAllText(hang, Encoding.UTF8).Split('\n'), line => line.StartsWith("~~", StringComparison.Ordinal));
        Assert.True(report.Execs > report.Hangs * 10, $"{report.Execs} execs, {report.Hangs} hangs: the campaign stalled");
    }
}
