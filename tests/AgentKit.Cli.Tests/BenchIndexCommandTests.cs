using System.Text.Json;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit bench index</c> and the wiki-scale flags of <c>agentkit index</c>, on corpora of a few thousand passages.</summary>
public sealed class BenchIndexCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-bench-index-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Bench_index_reports_throughput_memory_size_latency_and_the_thread_ratio()
    {
        var (exit, stdout, stderr) = await RunAsync("bench", "index", "--passages", "3000", "--peer-passages", "1000", "--queries", "50", "--threads", "2",
            "--out", Path.Combine(_dir, "bench"), "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3000, report.GetProperty("passages").GetInt64());
        Assert.True(report.GetProperty("passages_per_second").GetDouble() > 0);
        Assert.True(report.GetProperty("peak_working_set_bytes").GetInt64() > 0);
        Assert.True(report.GetProperty("index_bytes").GetInt64() > 0);
        Assert.True(report.GetProperty("query_p99_ms").GetDouble() >= report.GetProperty("query_p50_ms").GetDouble());
        Assert.True(report.GetProperty("query_mean_hits").GetDouble() > 0);
        var peer = report.GetProperty("peer");
        Assert.Equal(1000, peer.GetProperty("passages").GetInt64());
        Assert.True(peer.GetProperty("ratio").GetDouble() > 0);

        (exit, _, stderr) = await RunAsync("bench", "index", "--passages", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--passages", stderr);
    }

    [Fact]
    public async Task Index_reads_wiki18_tsv_with_threads_and_names_bad_flags()
    {
        // wiki-18's layout: a header, quoted text holding a tab and doubled quotes.
        var corpus = Path.Combine(_dir, "psgs.tsv");
        await File.WriteAllTextAsync(corpus,
            "id\ttext\ttitle\n" +
            "1\t\"Lima is the capital of Peru.\tIt lies on the \"\"Rímac\"\" river.\"\tLima\n" +
            "2\tParis is the capital of France.\tParis\n" +
            "3\tThe Nile is a river in Africa.\tNile\n");
        var index = Path.Combine(_dir, "wiki");

        var (exit, stdout, stderr) = await RunAsync("index", "--corpus", corpus, "--format", "tsv", "--threads", "2", "--commit-every", "2", "--out", index, "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3, report.GetProperty("documents").GetInt32());
        Assert.Equal(2, report.GetProperty("threads").GetInt32());
        (exit, stdout, stderr) = await RunAsync("search", "--index", index, "--k", "1", "--json", "Rímac river");
        Assert.True(exit == 0, stderr);
        Assert.Contains("Lima", stdout);

        (exit, _, stderr) = await RunAsync("index", "--corpus", corpus, "--format", "xml", "--out", index);
        Assert.Equal(2, exit);
        Assert.Contains("--format must be jsonl or tsv", stderr);
        (exit, _, stderr) = await RunAsync("index", "--corpus", corpus, "--threads", "0", "--out", Path.Combine(_dir, "other"));
        Assert.Equal(2, exit);
        Assert.Contains("--threads", stderr);
    }
}
