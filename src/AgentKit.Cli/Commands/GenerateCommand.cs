// agentkit generate --model model.gguf --prompt "Once upon a time" [--n 4] [--temperature 0.7] [--seed 1] [--max-tokens 64] [--stop "\n"] [--grammar g.gbnf] [--chat] [--json]
using System.CommandLine;
using AgentKit.Abstractions.Models;
using AgentKit.Core.Display;
using AgentKit.Models.LlamaSharp;
using AgentKit.Training;
using AgentKit.Training.Generation;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit generate</c>: samples N candidate completions of one prompt and prints them. On a terminal the
/// completions are escaped (<see cref="TerminalText"/>); piped or redirected they are written exactly, and
/// <c>--json</c> is always exact.
/// </summary>
internal static class GenerateCommand
{
    internal sealed record Completion(string Text, int Tokens, string FinishReason);

    internal sealed record GenerateReport(string Model, IReadOnlyList<Completion> Completions, int PromptTokens, double ElapsedMs, double TokensPerSecond);

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var endpoint = CommonOptions.Endpoint();
        var modelName = CommonOptions.ModelName();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt text (raw, unless --chat).", Required = true };
        var n = CommonOptions.N();
        var temperature = CommonOptions.Temperature();
        var topP = CommonOptions.TopP();
        var seed = CommonOptions.Seed();
        var maxTokens = CommonOptions.MaxTokens();
        var stop = new Option<string[]>("--stop") { Description = "Stop sequence (repeatable); escapes \\n and \\t are understood.", DefaultValueFactory = _ => [] };
        var grammar = new Option<string?>("--grammar") { Description = "GBNF grammar file (llama.cpp syntax, start rule 'root') every candidate must follow." };
        var chat = new Option<bool>("--chat") { Description = "Send the prompt as a user message, rendered with the model's chat template." };
        var threads = CommonOptions.Threads();
        var context = CommonOptions.ContextSize();
        var gpuLayers = CommonOptions.GpuLayers();
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("generate", "Sample N candidate completions of a prompt from a GGUF model or an endpoint.")
        {
            model, endpoint, modelName, prompt, n, temperature, topP, seed, maxTokens, stop, grammar, chat, threads, context, gpuLayers, device, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var modelPath = pr.GetValue(model);
            var backend = CliUsageException.Check(() => new ModelBackendOptions
            {
                ModelPath = modelPath, Endpoint = pr.GetValue(endpoint), ModelName = pr.GetValue(modelName), ContextSize = pr.GetValue(context),
                Threads = pr.GetValue(threads), GpuLayerCount = pr.GetValue(gpuLayers), Device = ComputeDevices.Parse(pr.GetValue(device)!),
                // Never OPENAI_API_KEY, so a key is not sent to a server by accident.
                ApiKey = Environment.GetEnvironmentVariable("AGENTKIT_API_KEY") is { Length: > 0 } key ? key : null,
            }.Validate());
            var request = BuildRequest(pr.GetValue(prompt)!, pr.GetValue(chat), pr.GetValue(n), pr.GetValue(temperature), pr.GetValue(topP),
                pr.GetValue(seed), pr.GetValue(maxTokens), pr.GetValue(stop)!, pr.GetValue(grammar));

            var asJson = pr.GetValue(json);
            var status = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            ICandidateGenerator? generator = null;
            try
            {
                await WithSpinner(status, asJson, "Loading model…", () => Task.FromResult(generator = ModelBackend.Open(backend)));
                // Request problems only visible once the model is loaded (prompt longer than the context, ...) are usage errors.
                var result = await WithSpinner(status, asJson, $"Generating {request.N} candidate(s)…",
                    () => CliUsageException.CheckAsync(() => generator!.GenerateAsync(request, ct)));
                var report = new GenerateReport(
                    // A file's name, not generator.Model: that would hash the whole GGUF just to print its name.
                    modelPath is not null ? Path.GetFileNameWithoutExtension(modelPath) : generator!.Model.Name,
                    result.Candidates.Select(c => new Completion(c.Text, c.Tokens, c.FinishReason)).ToList(),
                    result.PromptTokens,
                    Math.Round(result.Elapsed.TotalMilliseconds, 1),
                    Math.Round(result.TokensPerSecond, 1));
                CliOutput.Write(pr, asJson, report, console => WriteHuman(console, report, escape: SpectreConsoles.IsTerminal(pr.InvocationConfiguration.Output)));
                return CliApp.Success;
            }
            finally
            {
                (generator as IDisposable)?.Dispose();
            }
        });
        return command;
    }

    internal static CandidateRequest BuildRequest(string prompt, bool chat, int n, float temperature, float topP, int? seed, int maxTokens, string[] stops, string? grammarPath)
    {
        string? grammar = null;
        if (grammarPath is not null)
        {
            if (!File.Exists(grammarPath))
                throw new CliUsageException($"grammar file not found: {grammarPath}");
            grammar = File.ReadAllText(grammarPath);
            if (!GbnfValidator.TryValidate(grammar, out var error))
                throw new CliUsageException($"{grammarPath}: {error}");
        }
        return CliUsageException.Check(() => new CandidateRequest
        {
            Prompt = chat ? null : prompt,
            Messages = chat ? [new ChatMessage(ChatRole.User, prompt)] : null,
            N = n, Temperature = temperature, TopP = topP, Seed = seed, MaxTokens = maxTokens,
            Stop = stops.Select(Unescape).ToList(),
            Grammar = grammar,
        }.Validate(), message => message.Replace("N must", "--n must").Replace("Temperature must", "--temperature must").Replace("TopP must", "--top-p must")
            .Replace("MaxTokens must be >= 1", "--max-tokens must be at least 1").Replace("Stop sequences must not be empty strings", "--stop must not be empty"));
    }

    private static Task<T> WithSpinner<T>(IAnsiConsole console, bool quiet, string message, Func<Task<T>> work) =>
        quiet ? work() : console.Status().Spinner(Spinner.Known.Dots).StartAsync(message, _ => work());

    /// <summary>The completions as text; <paramref name="escape"/> makes model text safe for a terminal.</summary>
    internal static void WriteHuman(IAnsiConsole console, GenerateReport report, bool escape)
    {
        for (var i = 0; i < report.Completions.Count; i++)
        {
            var c = report.Completions[i];
            console.Write(new Rule($"[grey]candidate {i + 1} · {c.Tokens} tokens · {c.FinishReason}[/]").LeftJustified());
            console.WriteLine(escape ? TerminalText.Escape(c.Text) : c.Text);
        }
        console.WriteLine($"{report.Completions.Count} candidate(s), {report.Completions.Sum(c => c.Tokens)} tokens in {report.ElapsedMs:F0} ms " +
                          $"({report.TokensPerSecond:F1} tokens/s); prompt {report.PromptTokens} tokens; model {report.Model}");
    }

    private static string Unescape(string stop) => stop.Replace("\\n", "\n").Replace("\\t", "\t");
}
