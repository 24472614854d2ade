using System.Text.Json;
using ScottPlot;

namespace AgentKit.Training.Grpo;

/// <summary>Draws <c>grpo.png</c> from the whole run's <c>metrics.jsonl</c> (steps before a resume included): six panels.</summary>
internal static class GrpoPlot
{
    private static readonly (string Key, string Title)[] Panels =
    [
        ("reward_mean", "reward (mean)"), ("frac_reward_zero_std", "groups with zero reward std"), ("kl", "KL to reference"),
        ("clip_ratio", "clip ratio"), ("entropy", "entropy (nats)"), ("completion_length_mean", "completion length (tokens)"),
    ];

    public static void Draw(string directory)
    {
        var path = Path.Combine(directory, GrpoRunFiles.Metrics);
        if (!File.Exists(path))
            return;
        var rows = File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        if (rows.Count == 0)
            return;
        var multiplot = new Multiplot();
        multiplot.AddPlots(Panels.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(3, 2);
        foreach (var ((key, title), i) in Panels.Select((p, i) => (p, i)))
        {
            var plot = multiplot.GetPlot(i);
            var points = rows.Where(r => r.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()))
                .Select(r => (X: (double)r.GetProperty("step").GetInt32(), Y: r.GetProperty(key).GetDouble())).ToList();
            if (points.Count > 0)
            {
                var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
                line.MarkerSize = points.Count > 40 ? 0 : 4;
            }
            plot.Title(points.Count > 0 ? title : title + " (not computed)");
            plot.XLabel("step");
        }
        multiplot.SavePng(Path.Combine(directory, GrpoRunFiles.Plot), 1200, 1100);
    }
}
