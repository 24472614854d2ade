using System.Globalization;
using ScottPlot;

namespace AgentKit.Training.Sft;

/// <summary>Appends step metrics to <c>metrics.csv</c> and draws <c>loss.png</c> (train and validation loss).</summary>
internal static class MetricsLog
{
    public const string CsvFile = "metrics.csv";
    public const string PlotFile = "loss.png";
    private const string Header = "step,epoch,lr,train_loss,val_loss,grad_norm,tokens,tokens_per_s,elapsed_s";

    public static void Append(string directory, SftProgress p)
    {
        var path = Path.Combine(directory, CsvFile);
        var c = CultureInfo.InvariantCulture;
        var line = string.Join(',', p.Step.ToString(c), p.Epoch.ToString("F4", c), p.LearningRate.ToString("E4", c),
            p.TrainLoss.ToString("F6", c), p.ValidationLoss?.ToString("F6", c) ?? "", p.GradNorm.ToString("F4", c),
            p.Tokens.ToString(c), p.TokensPerSecond.ToString("F1", c), p.Elapsed.TotalSeconds.ToString("F2", c));
        if (!File.Exists(path))
            File.WriteAllText(path, Header + "\n");
        File.AppendAllText(path, line + "\n");
    }

    /// <summary>Keeps only rows up to <paramref name="step"/> (a resumed run rewrites what follows).</summary>
    public static void TruncateAfter(string directory, int step)
    {
        var path = Path.Combine(directory, CsvFile);
        if (!File.Exists(path))
            return;
        var kept = File.ReadAllLines(path).Where((line, i) => i == 0 || (int.TryParse(line.Split(',')[0], out var s) && s <= step));
        File.WriteAllLines(path, kept);
    }

    /// <summary>Draws the whole run from metrics.csv (including steps before a resume).</summary>
    public static void Plot(string directory)
    {
        var path = Path.Combine(directory, CsvFile);
        if (!File.Exists(path))
            return;
        var c = CultureInfo.InvariantCulture;
        var history = File.ReadAllLines(path).Skip(1).Select(line => line.Split(',')).Where(f => f.Length >= 5)
            .Select(f => (Step: int.Parse(f[0], c), TrainLoss: double.Parse(f[3], c),
                ValidationLoss: f[4].Length > 0 ? double.Parse(f[4], c) : (double?)null))
            .ToList();
        if (history.Count == 0)
            return;
        var plot = new Plot();
        var train = plot.Add.Scatter(history.Select(h => (double)h.Step).ToArray(), history.Select(h => h.TrainLoss).ToArray());
        train.LegendText = "train";
        train.MarkerSize = 0;
        var validation = history.Where(h => h.ValidationLoss is not null).ToList();
        if (validation.Count > 0)
        {
            var val = plot.Add.Scatter(validation.Select(h => (double)h.Step).ToArray(), validation.Select(h => h.ValidationLoss!.Value).ToArray());
            val.LegendText = "validation";
        }
        plot.Title("SFT loss");
        plot.XLabel("step");
        plot.YLabel("cross-entropy (nats/token)");
        plot.ShowLegend();
        plot.SavePng(Path.Combine(directory, PlotFile), 900, 500);
    }
}
