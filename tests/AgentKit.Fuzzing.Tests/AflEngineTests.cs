using System.Text.Json;
using AgentKit.Fuzzing.Afl;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Tests;

[Collection("campaigns")]
public sealed class AflEngineTests
{
    [AflFact]
    public async Task Afl_runs_the_same_target_imports_our_corpus_and_reports_in_our_shape()
    {
        var (target, dir) = ToyTarget.Prepare("afl");
        // Our corpus goes to afl as input (and as its foreign sync folder).
        var mine = "[dee]\nkey=1\n"u8.ToArray();
        File.WriteAllBytes(Path.Combine(dir, "corpus", CampaignDirectory.Hash(mine)), mine);

        var report = await AflCampaign.RunAsync(target, ToyTarget.Harness, ToyTarget.Options(dir, 8) with { Workers = 1 });

        Assert.Equal("afl", report.Engine);
        Assert.True(report.Execs > 0, "afl ran no inputs");
        Assert.True(report.ExecsPerSecond > 0);
        Assert.True(report.Edges > 5, $"{report.Edges} edges");
        Assert.True(report.Corpus > 1, $"corpus {report.Corpus}");
        Assert.True(report.Seconds >= 8);
        Assert.NotNull(report.UnreproducedCrashes); // afl's crash files were replayed (the import has its own test below)
        var queue = Directory.GetFiles(Path.Combine(dir, "afl", "out", "main", "queue"));
        Assert.Contains(queue, f => Path.GetFileName(f).EndsWith("orig:" + CampaignDirectory.Hash(mine), StringComparison.Ordinal));
        // The same yardstick for both engines: afl's queue replayed through our worker counts cells as our engine does.
        var replayed = CorpusCoverage.CountEdges(dir, queue, TimeSpan.FromMilliseconds(250));
        Assert.True(replayed > 5 && replayed >= report.Edges / 2, $"replayed {replayed} edges, afl says {report.Edges}");
        // afl's finds come back into our corpus.
        Assert.True(Directory.GetFiles(Path.Combine(dir, "corpus")).Length > 1);
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "stats.json")));
        foreach (var field in new[] { "execs", "execs_per_second", "edges", "corpus", "crashes", "hangs" })
            Assert.True(stats.RootElement.TryGetProperty(field, out _), $"stats.json lacks {field}");
        Assert.True(File.Exists(Path.Combine(dir, "plot_data.csv")));
    }

    [AflFact]
    public async Task Cancelling_afl_ends_the_session_early_and_still_imports_and_reports_what_it_found()
    {
        var (target, dir) = ToyTarget.Prepare("afl-cancel");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(8));

        var report = await AflCampaign.RunAsync(target, ToyTarget.Harness, ToyTarget.Options(dir, 120) with { Workers = 1 }, cancellationToken: cancel.Token);

        Assert.True(report.Seconds is >= 7 and < 60, $"{report.Seconds} s");
        Assert.True(report.Execs > 0, "afl ran no inputs");
        Assert.True(Directory.GetFiles(Path.Combine(dir, "corpus")).Length > 1, "afl's queue was not imported");
        Assert.True(File.Exists(Path.Combine(dir, "stats.json")));
    }

    [Fact]
    public void Afl_crash_files_are_replayed_through_our_runner_and_deduplicated_by_signature()
    {
        var (_, dir) = ToyTarget.Prepare("afl-import");
        var crashes = Path.Combine(dir, "afl", "out", "main", "crashes");
        Directory.CreateDirectory(crashes);
        File.WriteAllText(Path.Combine(crashes, "id:000000,sig:06,src:000001,time:2500,execs:900,op:havoc,rep:4"), "key=!boom\n");
        File.WriteAllText(Path.Combine(crashes, "id:000001,sig:06,src:000001,time:3100,execs:990,op:havoc,rep:2"), "a=!\n"); // same bug
        File.WriteAllText(Path.Combine(crashes, "id:000002,sig:06,src:000001,time:4000,execs:999,op:havoc,rep:2"), "key=1\n"); // does not crash here
        var started = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (file, seconds) in Directory.GetFiles(crashes).Order(StringComparer.Ordinal).Zip([2.5, 3.1, 4.0]))
            File.SetLastWriteTimeUtc(file, started.AddSeconds(seconds));
        var options = ToyTarget.Options(dir, 1);
        var launch = new WorkerLaunch(FuzzCampaign.DefaultRunnerPath, Path.Combine(dir, "target.json"), options.MemoryLimitMb, options.StartupTimeout);

        var (added, first, unreproduced) = AflFindings.ImportCrashes(new CampaignDirectory(dir), [Path.Combine(dir, "afl", "out", "main")], launch, options, started);

        var crash = Assert.Single(added);
        Assert.Equal("exception", crash.Kind);
        Assert.StartsWith("System.DivideByZeroException @ AgentKit.Fuzzing.ToyParser.ConfigParser.KeyValue", crash.Signature, StringComparison.Ordinal);
        Assert.Equal("key=!boom\n", File.ReadAllText(crash.File));
        Assert.Equal(2.5, first);
        Assert.Equal(1, unreproduced);
        Assert.Contains("\"found_at_seconds\": 2.5", File.ReadAllText(crash.File + ".json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Dictionary_tokens_are_escaped_for_afl()
    {
        Assert.Equal("a\\x22b\\x5C\\x0A", AflDictionary.Escape("a\"b\\\n"u8.ToArray()));
    }
}
