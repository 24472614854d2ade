using System.Globalization;

namespace AgentKit.Fuzzing.Engine;

/// <summary>One sample of the campaign's progress, taken about once a second.</summary>
internal sealed record ProgressSample(double Seconds, long Execs, int Edges, int Corpus, int Crashes);

/// <summary>Writes <c>plot_data.csv</c> and the PNG of edges over time.</summary>
internal static class EdgesPlot
{
    public static void WriteCsv(string path, IReadOnlyList<ProgressSample> samples) =>
        File.WriteAllLines(path, samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Seconds:F2},{s.Execs},{s.Edges},{s.Corpus},{s.Crashes}"))
            .Prepend("seconds,execs,edges,corpus,crashes"));

    public static void WritePng(string path, IReadOnlyList<ProgressSample> samples, string title)
    {
        var plot = new ScottPlot.Plot();
        var line = plot.Add.Scatter(samples.Select(s => s.Seconds).ToArray(), samples.Select(s => (double)s.Edges).ToArray());
        line.LegendText = "edges";
        plot.Title(title);
        plot.XLabel("seconds");
        plot.YLabel("edges (coverage map cells)");
        plot.SavePng(path, 900, 500);
    }
}
