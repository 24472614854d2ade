// agentkit index --corpus corpus.jsonl --out index/ [--json]
using System.CommandLine;
using AgentKit.Retrieval.Indexing;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary><c>agentkit index</c>: builds a BM25 Lucene index from a JSONL corpus of <c>{"id","title","text"}</c> lines.</summary>
internal static class IndexCommand
{
    private sealed record IndexReport(string Index, string Corpus, long Documents, double Seconds, long SizeBytes);

    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "JSONL corpus, one {\"id\",\"title\",\"text\"} object per line.", Required = true };
        var output = new Option<string>("--out") { Description = "Directory to write the index to (new, empty, or an earlier index to replace).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("index", "Build a BM25 search index from a JSONL corpus.") { corpus, output, json };

        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var corpusPath = pr.GetValue(corpus)!;
            var outDir = pr.GetValue(output)!;
            if (!File.Exists(corpusPath))
                throw new CliUsageException($"corpus file not found: {corpusPath}");
            if (LuceneIndexBuilder.CheckOutputDirectory(outDir) is { } problem)
                throw new CliUsageException(problem);

            var builder = new LuceneIndexBuilder();
            var result = pr.GetValue(json)
                ? builder.BuildFromFile(corpusPath, outDir, progress: null, ct)
                : BuildWithProgressBar(builder, corpusPath, outDir, pr.InvocationConfiguration.Error, ct);

            var report = new IndexReport(Path.GetFullPath(outDir), corpusPath, result.Documents, Math.Round(result.Elapsed.TotalSeconds, 3), result.SizeBytes);
            CliOutput.Write(pr, pr.GetValue(json), report, console => console.Write(ReportTable(report)));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static IndexBuildResult BuildWithProgressBar(LuceneIndexBuilder builder, string corpusPath, string outDir, TextWriter stderr, CancellationToken ct) =>
        SpectreConsoles.For(stderr).Progress().Start(ctx =>
        {
            var task = ctx.AddTask("Indexing", autoStart: true, maxValue: 1.0);
            var result = builder.BuildFromFile(corpusPath, outDir, new SyncProgress<IndexProgress>(p =>
            {
                if (p.Fraction is { } fraction)
                    task.Value = fraction;
                task.Description = $"Indexing ({p.Documents:N0} documents)";
            }), ct);
            task.Value = task.MaxValue;
            return result;
        });

    private static Table ReportTable(IndexReport report) => new Table().AddColumns("documents", "seconds", "index size", "index")
        .AddRow(report.Documents.ToString("N0"), report.Seconds.ToString("F2"), CliOutput.Bytes(report.SizeBytes), Markup.Escape(report.Index));
}
