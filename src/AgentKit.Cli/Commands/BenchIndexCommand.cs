// agentkit bench index [--passages 2000000] [--threads 2] [--peer-passages 200000] [--queries 1000] [--seed 18] [--out DIR] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Retrieval.Bench;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench index</c>: binds its flags to <see cref="IndexBenchmark.Run"/> (a generated wiki-style corpus indexed
/// and searched: passages/s, peak memory, index size, query p50/p99, one thread against N) and renders the table.
/// </summary>
internal static class BenchIndexCommand
{
    public static Command Create()
    {
        var passages = new Option<long>("--passages") { Description = "Passages of the generated corpus.", DefaultValueFactory = _ => 2_000_000 };
        var threads = new Option<int>("--threads") { Description = "Indexing threads, compared with one on a corpus prefix.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var peer = new Option<long>("--peer-passages") { Description = "Passages of the prefix indexed with 1 and with --threads threads.", DefaultValueFactory = _ => 200_000 };
        var queries = new Option<int>("--queries") { Description = "Timed k=3 searches.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the corpus and queries.", DefaultValueFactory = _ => 18 };
        var output = new Option<string?>("--out") { Description = "Folder for the corpus and indexes, kept afterwards (default: a temp folder, removed)." };
        var json = CommonOptions.Json();
        var command = new Command("index", "Retrieval at wiki scale: index a generated corpus, time searches, 1 thread vs N.") { passages, threads, peer, queries, seed, output, json };

        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var keep = pr.GetValue(output);
            var folder = keep ?? Path.Combine(Path.GetTempPath(), "agentkit-bench-index-" + Guid.NewGuid().ToString("N")[..8]);
            var options = CliUsageException.Check(() => new IndexBenchmarkOptions
            {
                Passages = pr.GetValue(passages), Threads = pr.GetValue(threads), PeerPassages = Math.Min(pr.GetValue(peer), pr.GetValue(passages)),
                Queries = pr.GetValue(queries), Seed = pr.GetValue(seed), OutputDirectory = folder,
            }.Validate(), message => message.Replace("PeerPassages", "--peer-passages").Replace("Passages", "--passages")
                .Replace("Threads", "--threads").Replace("Queries", "--queries"));

            var asJson = pr.GetValue(json);
            var err = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            var progress = new SyncProgress<string>(line => { if (!asJson) err.MarkupLine($"[grey]{Markup.Escape(line)}[/]"); });
            try
            {
                var report = IndexBenchmark.Run(options, progress, ct);
                CliOutput.Write(pr, asJson, report, console => console.Write(Table(report)));
            }
            finally
            {
                if (keep is null && Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
            }
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Table Table(IndexBenchmarkReport r)
    {
        static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var table = new Table().Title($"{N(r.Passages)} generated passages, {r.Threads} indexing thread(s), {r.ProcessorCount} core(s) seen")
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("corpus (TSV)", $"{CliOutput.Bytes(r.CorpusBytes)}, written in {r.GenerateSeconds:F1} s");
        table.AddRow("build (read, analyse, merge to one segment)", $"{r.BuildSeconds:F1} s");
        table.AddRow("passages/s", N(r.PassagesPerSecond));
        table.AddRow("peak working set / sampled managed heap", $"{CliOutput.Bytes(r.PeakWorkingSetBytes)} / {CliOutput.Bytes(r.PeakManagedHeapBytes)}");
        table.AddRow("index size", CliOutput.Bytes(r.IndexBytes));
        table.AddRow($"query p50 / p99 ({N(r.Queries)} searches, k=3)", $"{r.QueryP50Ms:F2} ms / {r.QueryP99Ms:F2} ms");
        table.AddRow($"peer: {N(r.Peer.Passages)} passages, 1 thread vs {r.Peer.Threads}",
            $"{N(r.Peer.OneThreadPassagesPerSecond)}/s vs {N(r.Peer.ThreadsPassagesPerSecond)}/s = {r.Peer.Ratio:F2}×");
        return table;
    }
}
