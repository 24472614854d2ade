using System.Globalization;
using AgentKit.Fuzzing.Engine;

namespace AgentKit.Fuzzing.Afl;

/// <summary>The figures afl-fuzz writes into <c>fuzzer_stats</c> (key : value lines) of one instance.</summary>
internal sealed record AflStats(long ExecsDone, int EdgesFound, int CorpusCount, int SavedCrashes, int SavedHangs)
{
    /// <summary>Reads <paramref name="path"/>; null while afl has not written it yet.</summary>
    public static AflStats? TryRead(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // absent, or being rewritten this instant
        }
        var values = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        if (!values.ContainsKey("execs_done"))
            return null;
        long Number(string key) =>
            values.TryGetValue(key, out var v) && long.TryParse(v.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new AflStats(Number("execs_done"), (int)Number("edges_found"), (int)Number("corpus_count"),
            (int)Number("saved_crashes"), (int)Number("saved_hangs"));
    }

    /// <summary>
    /// Edges over time from afl's <c>plot_data</c> (<c># relative_time, …, total_execs, edges_found</c>), as our samples.
    /// </summary>
    public static List<ProgressSample> ReadPlot(string path)
    {
        if (!File.Exists(path))
            return [];
        var lines = File.ReadAllLines(path);
        var header = lines.FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Split(',').Select(h => h.Trim()).ToList();
        if (header is null)
            return [];
        int Column(string name) => header.IndexOf(name);
        var (time, execs, edges, corpus, crashes) = (Column("relative_time"), Column("total_execs"), Column("edges_found"), Column("corpus_count"), Column("saved_crashes"));
        if (time < 0 || edges < 0)
            return [];
        var samples = new List<ProgressSample>();
        foreach (var line in lines.Where(l => !l.StartsWith('#') && l.Length > 0))
        {
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            long Cell(int i) => i >= 0 && i < cells.Length && long.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            samples.Add(new ProgressSample(Cell(time), Cell(execs), (int)Cell(edges), (int)Cell(corpus), (int)Cell(crashes)));
        }
        return samples;
    }
}
