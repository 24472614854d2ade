// agentkit bench serve [--model model.gguf] [--n 4] [--max-tokens 64] [--repeats 5] [--threads N] [--json]
using System.CommandLine;
using AgentKit.Abstractions.Models;
using AgentKit.Models.Gguf;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Server;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench serve</c>: what the HTTP hop costs. Runs the same request (fixed seed, every candidate
/// forced to <c>--max-tokens</c>) in-process on the generator, then through <c>agentkit serve</c>'s server on a
/// free loopback port with the OpenAI-compatible backend as client, non-streamed and streamed, alternating
/// so drift hits all three alike; prints medians and the ratio to in-process.
/// </summary>
internal static class BenchServeCommand
{
    internal sealed record ModeFigures(
        string Mode, double MedianMs, double MinMs, double MeanMs, int Tokens, double TokensPerSecond, double RatioToInProcess, double OverheadMs);

    internal sealed record BenchServeReport(
        string Model, long Parameters, int N, int MaxTokens, int Repeats, int PromptTokens, bool SameOutput, IReadOnlyList<ModeFigures> Modes);

    public static Command Create()
    {
        var model = CommonOptions.Model();
        model.Description = "GGUF model to measure (default: a small random ~4M-parameter llama written to a temporary file).";
        var n = new Option<int>("--n") { Description = "Candidates per request (1-64).", DefaultValueFactory = _ => 4 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens generated per candidate.", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed requests per mode (after one warm-up each).", DefaultValueFactory = _ => 5 };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("serve", "Compare generation in-process with the same generation through the OpenAI-compatible server.")
        {
            model, n, maxTokens, repeats, threads, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var count = pr.GetValue(n);
            var tokens = pr.GetValue(maxTokens);
            var runs = pr.GetValue(repeats);
            if (count is < 1 or > 64)
                throw new CliUsageException($"--n must be between 1 and 64, got {count}.");
            if (tokens < 1)
                throw new CliUsageException($"--max-tokens must be at least 1, got {tokens}.");
            if (runs < 1)
                throw new CliUsageException($"--repeats must be at least 1, got {runs}.");
            var path = pr.GetValue(model);
            if (path is not null && !File.Exists(path))
                throw new CliUsageException($"model file not found: {path}");

            var temporary = path is null ? WriteRandomModel() : null;
            try
            {
                var report = await RunAsync(path ?? temporary!, count, tokens, runs, pr.GetValue(threads), pr.GetValue(json) ? null : pr.InvocationConfiguration.Error, ct);
                if (pr.GetValue(json))
                    JsonOutput.Write(pr.InvocationConfiguration.Output, report);
                else
                    WriteTable(SpectreConsoles.For(pr.InvocationConfiguration.Output), report, temporary is not null);
                return CliApp.Success;
            }
            finally
            {
                if (temporary is not null)
                    File.Delete(temporary);
            }
        });
        return command;
    }

    internal static async Task<BenchServeReport> RunAsync(string modelPath, int n, int maxTokens, int repeats, int? threads, TextWriter? progress, CancellationToken ct)
    {
        // Every candidate runs to max tokens, so each timed request does the same work.
        using var local = ModelBackends.OpenLocal(new LlamaSharpOptions { ModelPath = modelPath, ContextSize = maxTokens + 128, Threads = threads, IgnoreEndOfGeneration = true });
        await using var server = new OpenAICompatibleServer(local, new ServerOptions { Port = 0, ModelName = "bench" });
        var url = await server.StartAsync(ct);
        using var remote = new OpenAICompatibleGenerator(new OpenAICompatibleOptions { Endpoint = url, Model = "bench" });
        var request = new CandidateRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "Write a short story about a robot who learns to paint.")],
            N = n,
            Temperature = 0.8f,
            Seed = 1234,
            MaxTokens = maxTokens,
        };

        var modes = new (string Name, Func<Task<(IReadOnlyList<string> Texts, int Tokens, int PromptTokens)>> Run)[]
        {
            ("in-process", async () => Summarise(await local.GenerateAsync(request, ct))),
            ("http", async () => Summarise(await remote.GenerateAsync(request, ct))),
            ("http stream", () => StreamAsync(remote, request, ct)),
        };

        var outputs = new IReadOnlyList<string>[modes.Length];
        var times = modes.Select(_ => new List<double>()).ToArray();
        var generated = new int[modes.Length];
        var promptTokens = 0;
        for (var repeat = -1; repeat < repeats; repeat++)
        {
            for (var m = 0; m < modes.Length; m++)
            {
                var started = TimeProvider.System.GetTimestamp();
                var (texts, tokenCount, prompt) = await modes[m].Run();
                var elapsed = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
                outputs[m] = texts;
                if (repeat < 0)
                    continue; // warm-up: first native decode, JIT, connection set-up
                times[m].Add(elapsed);
                if (tokenCount > 0)
                    generated[m] = tokenCount;
                promptTokens = Math.Max(promptTokens, prompt);
            }

            if (progress is not null && repeat >= 0)
                await progress.WriteLineAsync($"repeat {repeat + 1}/{repeats}: " + string.Join(", ", modes.Select((mode, m) => $"{mode.Name} {times[m][^1]:F0} ms")));
        }

        // The stream reports no token counts: it did the in-process run's work when its text is the same.
        var sameOutput = outputs.All(o => o.SequenceEqual(outputs[0]));
        generated[2] = generated[2] > 0 ? generated[2] : generated[0];
        var baseline = Median(times[0]);
        var figures = modes.Select((mode, m) => new ModeFigures(
            mode.Name,
            Math.Round(Median(times[m]), 2),
            Math.Round(times[m].Min(), 2),
            Math.Round(times[m].Average(), 2),
            generated[m],
            Math.Round(generated[m] / (Median(times[m]) / 1000), 1),
            Math.Round(Median(times[m]) / baseline, 3),
            Math.Round(Median(times[m]) - baseline, 2))).ToList();
        return new BenchServeReport(Path.GetFileName(modelPath), local.Header.ParameterCount, n, maxTokens, repeats, promptTokens, sameOutput, figures);
    }

    private static (IReadOnlyList<string>, int, int) Summarise(CandidateResult result) =>
        (result.Candidates.Select(c => c.Text).ToList(), result.Candidates.Sum(c => c.Tokens), result.PromptTokens);

    private static async Task<(IReadOnlyList<string>, int, int)> StreamAsync(OpenAICompatibleGenerator remote, CandidateRequest request, CancellationToken ct)
    {
        var texts = new System.Text.StringBuilder[request.N];
        for (var i = 0; i < texts.Length; i++)
            texts[i] = new System.Text.StringBuilder();
        await foreach (var delta in remote.StreamAsync(request, ct))
            texts[delta.Index].Append(delta.Text);
        return (texts.Select(t => t.ToString()).ToList(), 0, 0);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The default model: a small random llama (~4M parameters) so a run takes seconds on a laptop CPU.</summary>
    internal static RandomLlamaOptions DefaultModelOptions => new()
    {
        Layers = 4, Embedding = 256, Heads = 4, KvHeads = 4, FeedForward = 768, Name = "agentkit-bench-serve-random",
    };

    private static string WriteRandomModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agentkit-bench-serve-{Guid.NewGuid():N}.gguf");
        RandomLlamaModel.Write(path, DefaultModelOptions);
        return path;
    }

    private static void WriteTable(IAnsiConsole console, BenchServeReport report, bool randomModel)
    {
        console.WriteLine($"{(randomModel ? "random llama (temporary file)" : report.Model)}: {report.Parameters:N0} parameters; n={report.N}, " +
                          $"max_tokens={report.MaxTokens}, {report.PromptTokens}-token prompt, {report.Repeats} runs per mode");
        console.WriteLine("x in-proc: median over the in-process median; +ms: the difference (the cost of the HTTP hop).");
        var table = new Table().AddColumn("mode").AddColumn("median ms").AddColumn("min ms").AddColumn("mean ms").AddColumn("tokens").AddColumn("tok/s")
            .AddColumn("x in-proc").AddColumn("+ms");
        foreach (var m in report.Modes)
            table.AddRow(m.Mode, m.MedianMs.ToString("F1"), m.MinMs.ToString("F1"), m.MeanMs.ToString("F1"), m.Tokens.ToString(), m.TokensPerSecond.ToString("F0"), m.RatioToInProcess.ToString("F3"), m.OverheadMs.ToString("F1"));
        console.Write(table);
        console.WriteLine(report.SameOutput
            ? "All three modes produced the same candidates (same seed)."
            : "warning: the HTTP modes produced different candidates from in-process generation.");
    }
}
