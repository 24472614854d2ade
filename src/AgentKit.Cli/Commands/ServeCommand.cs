// agentkit serve --model model.gguf [--host 127.0.0.1] [--port 8080] [--model-name NAME] [--context 2048] [--threads N]
using System.CommandLine;
using AgentKit.Models.LlamaSharp;
using AgentKit.Server;
using Microsoft.Extensions.Logging;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit serve</c>: loads a GGUF model and serves it over the OpenAI chat and text completions APIs until Ctrl+C,
/// printing the base URL and one log line per request.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var host = new Option<string>("--host") { Description = "IP address to listen on (0.0.0.0 for all interfaces).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one.", DefaultValueFactory = _ => 8080 };
        var modelName = CommonOptions.ModelName();
        modelName.Description = "Model name listed by /v1/models (default: the file name without extension).";
        var context = CommonOptions.ContextSize();
        var threads = CommonOptions.Threads();
        var gpuLayers = CommonOptions.GpuLayers();
        var command = new Command("serve", "Serve a GGUF model over an OpenAI-compatible HTTP API (/v1/chat/completions with tools and logprobs, /v1/completions, /v1/models).")
        {
            model, host, port, modelName, context, threads, gpuLayers,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var stdout = pr.InvocationConfiguration.Output;
            var path = pr.GetValue(model) ?? throw new CliUsageException("--model is required: the GGUF file to serve.");
            if (!File.Exists(path))
                throw new CliUsageException($"model file not found: {path}");

            // Check every setting before the (possibly slow) model load, so mistakes are reported at once.
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new TextWriterLoggerProvider(pr.InvocationConfiguration.Error)).SetMinimumLevel(LogLevel.Information));
            var (modelOptions, serverOptions) = CliUsageException.Check(() => (
                new LlamaSharpOptions { ModelPath = path, ContextSize = pr.GetValue(context), Threads = pr.GetValue(threads), GpuLayerCount = pr.GetValue(gpuLayers) }.Validate(),
                new ServerOptions
                {
                    Host = pr.GetValue(host)!, Port = pr.GetValue(port), ModelName = pr.GetValue(modelName) ?? Path.GetFileNameWithoutExtension(path), LoggerFactory = loggerFactory,
                }.Validate()));

            // A file that cannot be loaded is a ModelLoadException: exit 1 with the loader's message.
            using var generator = new LlamaSharpGenerator(modelOptions, loggerFactory.CreateLogger<LlamaSharpGenerator>());
            await using var server = new OpenAICompatibleServer(generator, serverOptions);
            var baseUrl = await server.StartAsync(ct);
            await stdout.WriteLineAsync($"Serving {server.ModelName} at {baseUrl} (POST {baseUrl}/chat/completions). Press Ctrl+C to stop.");
            await stdout.FlushAsync(ct);
            await server.WaitForStopAsync(ct);
            await stdout.WriteLineAsync("Stopping.");
            return CliApp.Success;
        });
        return command;
    }
}
