// agentkit bench agent [--steps 12] [--model FILE.gguf] [--llm-steps 3] [--max-tokens 64] [--context 4096] [--threads N] [--json]
using System.CommandLine;
using AgentKit.Hosting.Benchmarks;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary><c>agentkit bench agent</c>: binds the flags to <see cref="AgentBenchmark.RunAsync"/> and renders its report.</summary>
internal static class BenchAgentCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Action steps per scripted run (the first, cold one is excluded from the means).", DefaultValueFactory = _ => 12 };
        var model = CommonOptions.Model();
        var llmSteps = new Option<int>("--llm-steps") { Description = "Action steps per model run.", DefaultValueFactory = _ => 3 };
        var maxTokens = CommonOptions.MaxTokens();
        maxTokens.DefaultValueFactory = _ => 64;
        var context = CommonOptions.ContextSize();
        context.DefaultValueFactory = _ => 4096; // the random model's byte-level vocabulary spends a token per character of the ~2k-character system prompt
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("agent", "Measure the agent runtime: overhead per step without model time, and N=8 vs N=1 with a GGUF.")
            { steps, model, llmSteps, maxTokens, context, threads, json };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.Check(() => new AgentBenchmarkOptions
            {
                Steps = pr.GetValue(steps), ModelPath = pr.GetValue(model), ModelSteps = pr.GetValue(llmSteps), MaxTokens = pr.GetValue(maxTokens),
                ContextSize = pr.GetValue(context), Threads = pr.GetValue(threads),
            }.Validate(), message => message.Replace("ModelSteps", "--llm-steps").Replace("Steps", "--steps").Replace("MaxTokens", "--max-tokens").Replace("ContextSize", "--context"));
            var stderr = pr.InvocationConfiguration.Error;
            var report = await AgentBenchmark.RunAsync(options, new SyncProgress<string>(stderr.WriteLine), ct);
            CliOutput.Write(pr, pr.GetValue(json), report, console => WriteTables(console, report));
            return CliApp.Success;
        });
        return command;
    }

    private static void WriteTables(IAnsiConsole console, AgentBenchReport report)
    {
        var scripted = new Table().Title("scripted model (no model time), ms per step")
            .AddColumns("N", "candidates", "steps", "step", "model", "sandbox execution", "of which Search", "runtime overhead", "recording");
        foreach (var r in report.Scripted)
            scripted.AddRow(r.N.ToString(), r.N == 1 ? "" : r.DistinctCandidates ? "all different" : "identical", r.Steps.ToString(), r.StepMs.ToString("F2"), r.ModelMs.ToString("F2"), r.ExecutionMs.ToString("F2"),
                r.SearchMs.ToString("F2"), r.RuntimeOverheadMs.ToString("F2"), r.RecordingMs.ToString("F2"));
        console.Write(scripted);
        console.WriteLine($"sandbox execution per step, N=8 / N=1: {report.ExecutionRatioN8OverN1:F2}x identical, {report.ExecutionRatioDistinctN8OverN1:F2}x all different");
        var model = new Table().Title($"{Markup.Escape(report.ModelName)}, grammar on, ms per step")
            .AddColumns("N", "steps", "step", "model", "sandbox execution", "tokens / step", "prompt tokens / step");
        foreach (var r in report.Model)
            model.AddRow(r.N.ToString(), r.Steps.ToString(), r.StepMs.ToString("F1"), r.ModelMs.ToString("F1"), r.ExecutionMs.ToString("F1"), r.TokensPerStep.ToString("F0"), r.PromptTokensPerStep.ToString("F0"));
        console.Write(model);
        console.WriteLine($"wall time per step, N=8 / N=1: {report.WallRatioN8OverN1:F2}x");
    }
}
