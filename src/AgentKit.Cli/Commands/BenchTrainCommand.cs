// agentkit bench train [--context 512] [--batch-size 4] [--steps 5] [--matmul 1536] [--threads N] [--json]
// agentkit bench train --shape qwen2-0.5b --lora-rank 64 --lora-alpha 128 --context 128 --batch-size 1 --steps 3
using System.CommandLine;
using System.Globalization;
using AgentKit.Training.Bench;
using AgentKit.Training.Model;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench train</c>: training tokens/s of a ≈0.5M and a ≈5M parameter model at context 512, next to
/// the peer figure of the same run: the CPU's peak float32 matmul rate, and the fraction of it training reaches. With
/// <c>--shape</c>, one named real-model shape instead (randomly initialised), optionally with LoRA on all linear layers.
/// </summary>
internal static class BenchTrainCommand
{
    public static Command Create()
    {
        var context = new Option<int>("--context") { Description = "Tokens per row.", DefaultValueFactory = _ => 512 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per step.", DefaultValueFactory = _ => 4 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per size (after one warm-up step).", DefaultValueFactory = _ => 5 };
        var matmul = new Option<int>("--matmul") { Description = "n of the n×n×n float32 matmul that measures the peak.", DefaultValueFactory = _ => 1536 };
        var shape = new Option<string?>("--shape") { Description = $"Measure one real model's shapes instead: {string.Join(", ", TrainBenchmark.Shapes.Keys)}." };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Train LoRA adapters of this rank on all linear layers (base frozen) instead of all weights." };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA alpha (default 2 × rank)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train", "Training tokens/s at two sizes (or one --shape) and the fraction of the CPU's peak matmul throughput reached.")
        {
            context, batch, steps, matmul, shape, loraRank, loraAlpha, threads, json,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            if (pr.GetValue(context) is < 8 or > 4096)
                throw new CliUsageException("--context must be between 8 and 4096.");
            if (pr.GetValue(batch) < 1 || pr.GetValue(steps) < 1 || pr.GetValue(matmul) < 64)
                throw new CliUsageException("--batch-size and --steps must be >= 1, --matmul >= 64.");
            if (pr.GetValue(threads) is { } t)
                TorchSharp.torch.set_num_threads(t);
            var asJson = pr.GetValue(json);
            var status = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            var progress = new Progress<string>(message => { if (!asJson) status.MarkupLine($"[grey]{Markup.Escape(message)}…[/]"); });
            if (pr.GetValue(shape) is { } name && !TrainBenchmark.Shapes.ContainsKey(name))
                throw new CliUsageException($"--shape must be one of {string.Join(", ", TrainBenchmark.Shapes.Keys)}, got '{name}'.");
            var lora = pr.GetValue(loraRank) is { } rank
                ? CliUsageException.Check(() => new LoraSettings { Rank = rank, Alpha = pr.GetValue(loraAlpha) ?? 2.0 * rank, TargetModules = LoraSettings.AllLinear }.Validate(), m => $"--lora-rank/--lora-alpha: {m}")
                : null;
            var report = pr.GetValue(shape) is { } chosen
                ? TrainBenchmark.RunShape(chosen, lora, pr.GetValue(context), pr.GetValue(batch), pr.GetValue(steps), pr.GetValue(matmul), progress)
                : lora is null
                    ? TrainBenchmark.Run(pr.GetValue(context), pr.GetValue(batch), pr.GetValue(steps), pr.GetValue(matmul), progress)
                    : throw new CliUsageException("--lora-rank needs --shape.");
            CliOutput.Write(pr, asJson, report, console => console.Write(Table(report)));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Table Table(TrainBenchReport report)
    {
        var table = new Table()
            .Title($"peak float32 matmul ({report.MatmulSize}³): {report.PeakGflops.ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s, {report.Threads} thread(s)")
            .AddColumn("model").AddColumn(new TableColumn("params (trained)").RightAligned()).AddColumn(new TableColumn("context × batch").RightAligned())
            .AddColumn(new TableColumn("tokens/s").RightAligned()).AddColumn(new TableColumn("GFLOP/s").RightAligned()).AddColumn(new TableColumn("of peak").RightAligned());
        foreach (var row in report.Rows)
            table.AddRow(row.Lora is null ? row.Name : $"{row.Name} LoRA {row.Lora}",
                $"{row.Parameters.ToString("N0", CultureInfo.InvariantCulture)} ({row.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture)})", $"{row.Context} × {row.BatchSize}",
                row.TokensPerSecond.ToString(row.TokensPerSecond < 100 ? "F2" : "F0", CultureInfo.InvariantCulture), row.TrainingGflops.ToString("F1", CultureInfo.InvariantCulture),
                row.FractionOfPeak.ToString("P1", CultureInfo.InvariantCulture));
        return table;
    }
}
