// agentkit distill [--recipe agents/atlas/distill.json] [--work distill-work/atlas] [--out PATH] [--threads N] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Cli.Distillation;
using AgentKit.Distillation;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit distill</c>: binds the flags to <see cref="DistillPipeline.RunAsync(LoadedRecipe, DistillRunOptions, IDistillProgress?, CancellationToken)"/>
/// (teacher → [invented atlas → its teacher] → SFT data → [tokenizer] → SFT → GGUF → [HF export] → [benchmark eval], resumable,
/// ending with <c>distill-report.json</c>)
/// and renders its report; a recipe it cannot use exits 2, a failed stage exits 1.
/// </summary>
internal static class DistillCommand
{
    private const string DefaultRecipe = "agents/atlas/distill.json";

    public static Command Create()
    {
        var recipe = new Option<string>("--recipe") { Description = "The recipe (distill.json, or a folder holding one).", DefaultValueFactory = _ => DefaultRecipe };
        var work = new Option<string?>("--work") { Description = "Work folder for the stage outputs (default: distill-work/<agent name>). Re-running with it resumes." };
        var output = new Option<string?>("--out", "-o") { Description = "Where to copy the GGUF (default: the recipe's export.out, relative to the agent folder)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("distill", "Reproduce a distilled model from its recipe: teacher (atlas, recorded file or endpoint) → SFT data → [tokenizer] → SFT (from scratch or LoRA on a checkpoint) → GGUF → [HF export] → [benchmark eval] (resumable).")
            { recipe, work, output, threads, json };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            if (pr.GetValue(threads) is < 1)
                throw new CliUsageException($"--threads must be >= 1, got {pr.GetValue(threads)}.");
            var asJson = pr.GetValue(json);
            var stdout = pr.InvocationConfiguration.Output;
            var stderr = pr.InvocationConfiguration.Error;
            DistillReport report;
            try
            {
                var options = new DistillRunOptions { WorkFolder = pr.GetValue(work), ExportPath = pr.GetValue(output), Threads = pr.GetValue(threads) };
                IDistillProgress progress = asJson ? new SilentDistillProgress(stderr) : new ConsoleDistillProgress(stdout, stderr);
                report = await DistillPipeline.RunAsync(DistillRecipeLoader.Load(pr.GetValue(recipe)!), options, progress, ct);
            }
            catch (DistillConfigurationException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            catch (DistillStageException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}");
                await stderr.WriteLineAsync("The outputs of earlier stages are kept; run the same command again to continue.");
                return CliApp.Failure;
            }

            CliOutput.Write(pr, asJson, report, console => WriteSummary(console, report));
            return CliApp.Success;
        });
        return command;
    }

    private static void WriteSummary(IAnsiConsole console, DistillReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("stages", Markup.Escape(string.Join(", ", report.Stages.Select(s => s.Seconds is double d ? $"{s.Stage} {d.ToString("F1", c)} s" : $"{s.Stage} {s.Status}"))));
        table.AddRow("teacher runs (correct)", $"{report.Teacher.Runs:N0} ({report.Teacher.Correct:N0})");
        if (report.SyntheticTeacher is { } synthetic)
            table.AddRow("invented-atlas runs (correct)", $"{synthetic.Runs:N0} ({synthetic.Correct:N0})");
        table.AddRow("SFT examples", report.SftData.SyntheticExamples is int invented
            ? $"{report.SftData.Examples.ToString("N0", c)} ({invented.ToString("N0", c)} invented)"
            : report.SftData.Examples.ToString("N0", c));
        table.AddRow("tokens per epoch", report.Sft.TokensPerEpoch.ToString("N0", c));
        table.AddRow("steps", report.Sft.Steps.ToString(c));
        table.AddRow("train loss first → last", string.Create(c, $"{report.Sft.FirstTrainLoss:F4} → {report.Sft.FinalTrainLoss:F4}"));
        table.AddRow("validation loss", report.Sft.FinalValidationLoss?.ToString("F4", c) ?? "-");
        table.AddRow("tokens/s", report.Sft.TokensPerSecond.ToString("F0", c));
        table.AddRow("parameters", report.Sft.Parameters.ToString("N0", c));
        table.AddRow("GGUF", Markup.Escape($"{report.Model} ({report.Gguf.Type}, {report.Gguf.Bytes / 1048576.0:F2} MiB)"));
        if (report.Hf is { } hf)
            table.AddRow("HF export", Markup.Escape($"{report.HfModel} ({hf.Type}{(hf.Adapter is null ? "" : " + PEFT adapter")}, {hf.Bytes / 1048576.0:F2} MiB)"));
        if (report.Eval is { } eval)
        {
            foreach (var average in eval.Averages)
                table.AddRow($"eval accuracy N={average.N}", string.Create(c, $"{average.Accuracy:P1} over {average.Sets} set(s)") +
                    (average.JudgeAccuracy is { } judged ? string.Create(c, $", judge {judged:P1}") : ""));
            table.AddRow("eval results", Markup.Escape(eval.Results));
        }
        table.AddRow("metrics / plot", Markup.Escape($"{report.Sft.MetricsCsv}, {report.Sft.LossPlot}"));
        table.AddRow("report", Markup.Escape(Path.Combine(report.Work, WorkFiles.Report)));
        console.Write(table);
    }
}
