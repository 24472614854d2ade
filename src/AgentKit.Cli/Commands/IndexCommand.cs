// agentkit index --corpus corpus.jsonl|psgs.tsv --out index/ [--format jsonl|tsv] [--threads N] [--commit-every N] [--restart] [--json]
using System.CommandLine;
using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit index</c>: builds a BM25 Lucene index from a JSONL corpus of <c>{"id","title","text"}</c> lines or a wiki-18 TSV
/// (<see cref="LuceneIndexBuilder.BuildFromFile"/>); run again after a kill, it resumes from the last checkpoint.
/// </summary>
internal static class IndexCommand
{
    private sealed record IndexReport(string Index, string Corpus, long Documents, long ResumedFrom, int Threads, double Seconds, double PassagesPerSecond, long SizeBytes);

    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "JSONL corpus (one {\"id\",\"title\",\"text\"} object per line) or TSV with the header id, text, title (wiki-18).", Required = true };
        var format = new Option<string?>("--format") { Description = "jsonl or tsv (default: tsv for a .tsv file, else jsonl)." };
        var threads = new Option<int?>("--threads") { Description = "Threads analysing documents (default: one per core)." };
        var commitEvery = new Option<int?>("--commit-every") { Description = "Passages between checkpoints a killed build resumes from (default 200000)." };
        var restart = new Option<bool>("--restart") { Description = "Start over instead of resuming an interrupted build found in --out." };
        var output = new Option<string>("--out") { Description = "Directory to write the index to (new, empty, or an earlier index to replace).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("index", "Build a BM25 search index from a JSONL or TSV corpus; resumes an interrupted build.") { corpus, output, format, threads, commitEvery, restart, json };

        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var corpusPath = pr.GetValue(corpus)!;
            var outDir = pr.GetValue(output)!;
            if (!File.Exists(corpusPath))
                throw new CliUsageException($"corpus file not found: {corpusPath}");
            if (LuceneIndexBuilder.CheckOutputDirectory(outDir) is { } problem)
                throw new CliUsageException(problem);

            var corpusFormat = pr.GetValue(format) switch
            {
                null => CorpusFormats.FromPath(corpusPath),
                var f when f.Equals("jsonl", StringComparison.OrdinalIgnoreCase) => CorpusFormat.Jsonl,
                var f when f.Equals("tsv", StringComparison.OrdinalIgnoreCase) => CorpusFormat.Tsv,
                var f => throw new CliUsageException($"--format must be jsonl or tsv, got '{f}'."),
            };
            var defaults = new LuceneIndexOptions();
            var builder = CliUsageException.Check(() => new LuceneIndexBuilder(defaults with
            {
                Threads = pr.GetValue(threads) ?? defaults.Threads, CommitInterval = pr.GetValue(commitEvery) ?? defaults.CommitInterval, Resume = !pr.GetValue(restart),
            }), message => message.Replace("Threads", "--threads").Replace("CommitInterval", "--commit-every"));
            IndexBuildResult result;
            try
            {
                result = pr.GetValue(json)
                    ? builder.BuildFromFile(corpusPath, outDir, progress: null, ct, corpusFormat)
                    : BuildWithProgressBar(builder, corpusPath, outDir, corpusFormat, pr.InvocationConfiguration.Error, ct);
            }
            catch (CorpusChangedException ex)
            {
                throw new CliUsageException($"--out: {ex.Message}");
            }

            var report = new IndexReport(Path.GetFullPath(outDir), corpusPath, result.Documents, result.ResumedFrom, result.Threads,
                Math.Round(result.Elapsed.TotalSeconds, 3), Math.Round(result.PassagesPerSecond), result.SizeBytes);
            CliOutput.Write(pr, pr.GetValue(json), report, console => console.Write(ReportTable(report)));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static IndexBuildResult BuildWithProgressBar(LuceneIndexBuilder builder, string corpusPath, string outDir, CorpusFormat format, TextWriter stderr, CancellationToken ct) =>
        SpectreConsoles.For(stderr).Progress().Start(ctx =>
        {
            var task = ctx.AddTask("Indexing", autoStart: true, maxValue: 1.0);
            var result = builder.BuildFromFile(corpusPath, outDir, new SyncProgress<IndexProgress>(p =>
            {
                if (p.Fraction is { } fraction)
                    task.Value = fraction;
                task.Description = $"Indexing ({p.Documents:N0} passages, {p.PassagesPerSecond:N0}/s)";
            }), ct, format);
            task.Value = task.MaxValue;
            return result;
        });

    // One figure per row: seven columns side by side wrap their headers in a narrow terminal.
    private static Table ReportTable(IndexReport report) => new Table().AddColumns("figure", "value")
        .AddRow("documents", report.Documents.ToString("N0"))
        .AddRow("resumed from", report.ResumedFrom.ToString("N0"))
        .AddRow("threads", report.Threads.ToString())
        .AddRow("seconds", report.Seconds.ToString("F2"))
        .AddRow("passages/s", report.PassagesPerSecond.ToString("N0"))
        .AddRow("index size", CliOutput.Bytes(report.SizeBytes))
        .AddRow("index", Markup.Escape(report.Index));
}
