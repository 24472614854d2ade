using AgentKit.Hosting.Evaluation;
using ScottPlot;

namespace AgentKit.Cli.Commands;

/// <summary>
/// Draws <c>eval --benchmark --plot FILE.png</c>: accuracy (%) per set and the average, one bar per N side by side,
/// the value written on each bar.
/// </summary>
internal static class BenchmarkPlot
{
    public static void Draw(BenchmarkReport report, string path)
    {
        var groups = report.Sets.Select(s => s.Name).Distinct().Append("average").ToList();
        var counts = report.CandidateCounts;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var width = 0.8 / counts.Count;
        for (var c = 0; c < counts.Count; c++)
        {
            var n = counts[c];
            var bars = new List<Bar>();
            for (var g = 0; g < groups.Count; g++)
            {
                double? accuracy = g < groups.Count - 1
                    ? report.Sets.FirstOrDefault(s => s.Name == groups[g] && s.N == n)?.Accuracy
                    : report.Averages.FirstOrDefault(a => a.N == n)?.Accuracy;
                if (accuracy is not { } value)
                    continue;
                bars.Add(new Bar
                {
                    Position = g - 0.4 + width * (c + 0.5), Value = value * 100, Size = width * 0.9, FillColor = palette.GetColor(c),
                    Label = $"{value * 100:F1}",
                });
            }
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = $"N={n}";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(), groups.ToArray());
        plot.Axes.SetLimitsY(0, 110);
        plot.YLabel("accuracy (%)");
        plot.Title($"{(report.Mode == BenchmarkMode.Agent ? "agent" : "chain of thought")}: {report.Model}");
        plot.ShowLegend();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        plot.SavePng(path, Math.Max(640, 140 * groups.Count * Math.Max(1, counts.Count)), 480);
    }
}
