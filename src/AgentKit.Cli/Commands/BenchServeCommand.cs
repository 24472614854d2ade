// agentkit bench serve [--model model.gguf] [--clients 20] [--duration 60] [--max-tokens 16] [--threads N] [--json]
using System.CommandLine;
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
            var path = pr.GetValue(model);
            if (path is not null && !File.Exists(path))
                throw new CliUsageException($"model file not found: {path}");
            var seconds = pr.GetValue(duration);
            var (options, modelOptions) = CliUsageException.Check(() => double.IsFinite(seconds) && seconds > 0
                ? (new ServerLoadOptions { Clients = pr.GetValue(clients), Duration = TimeSpan.FromSeconds(seconds), MaxTokens = pr.GetValue(maxTokens) }.Validate(),
                    new LlamaSharpOptions { ModelPath = path ?? "random.gguf", Threads = pr.GetValue(threads) }.Validate())
                : throw new ArgumentException($"--duration must be a positive number of seconds, got {seconds}."), OptionNames);

            var report = await ServerLoadBenchmark.RunAsync(modelOptions, randomModel: path is null, options, ct);
            CliOutput.Write(pr, pr.GetValue(json), report, console => WriteTable(console, report, path is null ? "random llama (temporary file)" : Path.GetFileName(path)));
            return report.Errors == 0 ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }

    /// <summary>The library names its settings; the user typed options.</summary>
    private static string OptionNames(string message) => message
        .Replace("Clients", "--clients", StringComparison.Ordinal)
        .Replace("MaxTokens", "--max-tokens", StringComparison.Ordinal)
        .Replace("Duration", "--duration", StringComparison.Ordinal)
        .Replace("Threads", "--threads", StringComparison.Ordinal);

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
