// agentkit bench serve [--model model.gguf] [--clients 20] [--duration 60] [--max-tokens 16] [--threads N] [--json]
using System.CommandLine;
using AgentKit.Models.Gguf;
using AgentKit.Models.LlamaSharp;
using AgentKit.Server.Benchmarks;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench serve</c>: load on <c>agentkit serve</c>'s server from OpenAI SDK clients
/// (<see cref="ServerLoadBenchmark"/>): requests per second, p50/p99 latency and errors.
/// </summary>
internal static class BenchServeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        model.Description = "GGUF model to serve (default: a small random ~4M-parameter llama written to a temporary file).";
        var clients = new Option<int>("--clients") { Description = "Concurrent clients sending requests back to back.", DefaultValueFactory = _ => 20 };
        var duration = new Option<double>("--duration") { Description = "Seconds of load.", DefaultValueFactory = _ => 60 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens generated per request.", DefaultValueFactory = _ => 16 };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("serve", "Load the OpenAI-compatible server with concurrent OpenAI SDK clients: requests/s, p50/p99 latency, errors.")
        {
            model, clients, duration, maxTokens, threads, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            ServerLoadOptions options;
            LlamaSharpOptions modelOptions;
            var path = pr.GetValue(model);
            if (path is not null && !File.Exists(path))
                throw new CliUsageException($"model file not found: {path}");
            try
            {
                var seconds = pr.GetValue(duration);
                if (!double.IsFinite(seconds) || seconds <= 0)
                    throw new ArgumentException($"--duration must be a positive number of seconds, got {seconds}.");
                options = new ServerLoadOptions { Clients = pr.GetValue(clients), Duration = TimeSpan.FromSeconds(seconds), MaxTokens = pr.GetValue(maxTokens) }.Validate();
                modelOptions = new LlamaSharpOptions { ModelPath = path ?? "random.gguf", Threads = pr.GetValue(threads) }.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(OptionNames(ex.Message));
            }

            var temporary = path is null ? WriteRandomModel() : null;
            try
            {
                using var generator = ModelBackends.OpenLocal(modelOptions with { ModelPath = path ?? temporary! });
                var report = await ServerLoadBenchmark.RunAsync(generator, options, ct);
                if (pr.GetValue(json))
                    JsonOutput.Write(pr.InvocationConfiguration.Output, report);
                else
                    WriteTable(SpectreConsoles.For(pr.InvocationConfiguration.Output), report, temporary is null ? Path.GetFileName(path!) : "random llama (temporary file)");
                return report.Errors == 0 ? CliApp.Success : CliApp.Failure;
            }
            finally
            {
                if (temporary is not null)
                    File.Delete(temporary);
            }
        });
        return command;
    }

    /// <summary>The library names its settings; the user typed options.</summary>
    private static string OptionNames(string message) => message
        .Replace("Clients", "--clients", StringComparison.Ordinal)
        .Replace("MaxTokens", "--max-tokens", StringComparison.Ordinal)
        .Replace("Duration", "--duration", StringComparison.Ordinal)
        .Replace("Threads", "--threads", StringComparison.Ordinal);

    /// <summary>The default model: a small random llama (~4M parameters) so a run takes seconds on a laptop CPU.</summary>
    private static RandomLlamaOptions DefaultModelOptions => new()
    {
        Layers = 4, Embedding = 256, Heads = 4, KvHeads = 4, FeedForward = 768, Name = "agentkit-bench-serve-random",
    };

    private static string WriteRandomModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agentkit-bench-serve-{Guid.NewGuid():N}.gguf");
        RandomLlamaModel.Write(path, DefaultModelOptions);
        return path;
    }

    private static void WriteTable(IAnsiConsole console, ServerLoadReport report, string model)
    {
        console.WriteLine($"{model}: {report.Clients} OpenAI SDK clients for {report.DurationSeconds:F1} s, chat completions back to back");
        var table = new Table().AddColumn("requests").AddColumn("errors").AddColumn("req/s").AddColumn("p50 ms").AddColumn("p99 ms").AddColumn("max ms").AddColumn("tok/s");
        table.AddRow(report.Requests.ToString(), report.Errors.ToString(), report.RequestsPerSecond.ToString("F2"), report.P50Ms.ToString("F1"),
            report.P99Ms.ToString("F1"), report.MaxMs.ToString("F1"), report.TokensPerSecond.ToString("F0"));
        console.Write(table);
        foreach (var error in report.FirstErrors)
            console.WriteLine($"error: {error}");
    }
}
