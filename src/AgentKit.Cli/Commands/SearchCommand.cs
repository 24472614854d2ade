// agentkit search --index index/ [--k 3] [--json] "capital of Peru"
using System.CommandLine;
using AgentKit.Core.Display;
using AgentKit.Retrieval.Search;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary><c>agentkit search</c>: queries an index built by <c>agentkit index</c> and prints the ranked passages.</summary>
internal static class SearchCommand
{
    private sealed record SearchHit(string Id, string Title, string Text, double Score);

    private sealed record SearchReport(string Query, IReadOnlyList<SearchHit> Hits, double ElapsedMs);

    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory written by 'agentkit index'.", Required = true };
        var k = new Option<int>("--k", "-k") { Description = "Number of passages to return.", DefaultValueFactory = _ => 3 };
        var json = CommonOptions.Json();
        var query = new Argument<string[]>("query") { Description = "Query text (plain words; no query syntax).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("search", "Search an index and print the best passages.") { index, k, json, query };

        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var indexDir = pr.GetValue(index)!;
            var count = pr.GetValue(k);
            var text = string.Join(' ', pr.GetValue(query)!);
            if (count < 1)
                throw new CliUsageException($"--k must be at least 1, got {count}.");
            if (!Directory.Exists(indexDir))
                throw new CliUsageException($"index directory not found: {indexDir}");
            if (!LuceneSearcher.IsIndex(indexDir))
                throw new CliUsageException($"{indexDir} is not an index directory; build one with 'agentkit index --corpus FILE.jsonl --out {indexDir}'.");

            using var searcher = LuceneSearcher.Open(indexDir);
            var start = TimeProvider.System.GetTimestamp();
            var hits = searcher.Search(text, count);
            var elapsed = TimeProvider.System.GetElapsedTime(start);

            var report = new SearchReport(text, hits.Select(h => new SearchHit(h.Id, h.Title, h.Text, Math.Round(h.Score, 4))).ToList(), Math.Round(elapsed.TotalMilliseconds, 3));
            CliOutput.Write(pr, pr.GetValue(json), report, console => WriteTable(console, report));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static void WriteTable(IAnsiConsole console, SearchReport report)
    {
        if (report.Hits.Count == 0)
        {
            console.WriteLine($"No passage matches \"{TerminalText.Escape(report.Query)}\" ({report.ElapsedMs:F1} ms).");
            return;
        }
        var table = new Table().AddColumn("#").AddColumn("score").AddColumn("id").AddColumn("title").AddColumn("text");
        for (var i = 0; i < report.Hits.Count; i++)
        {
            var hit = report.Hits[i];
            table.AddRow((i + 1).ToString(), hit.Score.ToString("F3"), SpectreConsoles.SafeMarkup(hit.Id), SpectreConsoles.SafeMarkup(hit.Title), SpectreConsoles.SafeMarkup(Shorten(hit.Text, 100)));
        }
        console.Write(table);
        console.WriteLine($"{report.Hits.Count} hits in {report.ElapsedMs:F1} ms");
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
