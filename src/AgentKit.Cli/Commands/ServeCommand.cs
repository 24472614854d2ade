// agentkit serve --model model.gguf [--host 127.0.0.1] [--port 8080] [--model-name NAME] [--context 2048] [--threads N]
using System.CommandLine;
using System.Runtime.InteropServices;
using AgentKit.Models;
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
            var stderr = pr.InvocationConfiguration.Error;
            var path = pr.GetValue(model) ?? throw new CliUsageException("--model is required: the GGUF file to serve.");
            if (!File.Exists(path))
                throw new CliUsageException($"model file not found: {path}");

            // Check every setting before the (possibly slow) model load, so mistakes are reported at once.
            LlamaSharpOptions modelOptions;
            ServerOptions serverOptions;
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new WriterLoggerProvider(stderr)).SetMinimumLevel(LogLevel.Information));
            try
            {
                modelOptions = new LlamaSharpOptions
                {
                    ModelPath = path, ContextSize = pr.GetValue(context), Threads = pr.GetValue(threads), GpuLayerCount = pr.GetValue(gpuLayers),
                }.Validate();
                serverOptions = new ServerOptions
                {
                    Host = pr.GetValue(host)!,
                    Port = pr.GetValue(port),
                    ModelName = pr.GetValue(modelName) ?? Path.GetFileNameWithoutExtension(path),
                    LoggerFactory = loggerFactory,
                }.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message);
            }

            using var generator = Load(modelOptions, loggerFactory);
            await using var server = new OpenAICompatibleServer(generator, serverOptions);
            var baseUrl = await server.StartAsync(ct);
            await stdout.WriteLineAsync($"Serving {server.ModelName} at {baseUrl} (POST {baseUrl}/chat/completions). Press Ctrl+C to stop.");
            await stdout.FlushAsync(ct);
            // Ctrl+C cancels ct; SIGTERM (service managers, containers) stops the same graceful way.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                await stdout.WriteLineAsync("Stopping.");
            }

            return CliApp.Success;
        });
        return command;
    }

    private static LlamaSharpGenerator Load(LlamaSharpOptions options, ILoggerFactory loggerFactory)
    {
        try
        {
            return new LlamaSharpGenerator(options, loggerFactory.CreateLogger<LlamaSharpGenerator>());
        }
        catch (ModelLoadException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>Writes log lines (<c>HH:mm:ss message</c>) to the verb's error writer, so output goes where the caller says.</summary>
    private sealed class WriterLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new WriterLogger(this);

        public void Dispose()
        {
        }

        private void Write(LogLevel level, string message, Exception? exception)
        {
            var prefix = level >= LogLevel.Warning ? $"{level.ToString().ToLowerInvariant()}: " : "";
            lock (_gate)
            {
                writer.WriteLine($"{DateTime.Now:HH:mm:ss} {prefix}{message}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
                writer.Flush();
            }
        }

        private sealed class WriterLogger(WriterLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    owner.Write(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
