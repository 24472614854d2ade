using System.Runtime.InteropServices;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Endpoints;
using AgentKit.Server.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentKit.Server;

/// <summary>
/// Serves an <see cref="ICandidateGenerator"/> over the OpenAI chat completions API, so OpenAI clients,
/// <c>OpenAICompatibleGenerator</c> and tools written for llama.cpp server can use a local model.
/// Routes: <c>GET /v1/models</c>, <c>POST /v1/chat/completions</c> (tools, logprobs, JSON output, streaming),
/// <c>POST /v1/completions</c>, <c>GET /health</c>; anything else is a 404 in OpenAI's error shape.
/// </summary>
/// <example>
/// <code>
/// await using var server = new OpenAICompatibleServer(generator, new ServerOptions { Port = 0 });
/// Uri baseUrl = await server.StartAsync();   // e.g. http://127.0.0.1:41873/v1
/// </code>
/// </example>
public sealed class OpenAICompatibleServer : IAsyncDisposable
{
    private readonly ICandidateGenerator _generator;
    private readonly ServerOptions _options;
    private readonly ILogger _logger;
    private readonly GenerationQueue _queue;
    private WebApplication? _app;

    /// <summary>Prepares a server for <paramref name="generator"/>; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="generator">The model to serve; the server does not dispose it.</param>
    /// <param name="options">Address, port and limits (validated here).</param>
    public OpenAICompatibleServer(ICandidateGenerator generator, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        _generator = generator;
        _options = options.Validate();
        _logger = options.LoggerFactory.CreateLogger<OpenAICompatibleServer>();
        _queue = new GenerationQueue(options.MaxConcurrentGenerations);
        ModelName = options.ModelName ?? generator.Model.Name;
    }

    /// <summary>The model name listed and echoed by the API.</summary>
    public string ModelName { get; }

    /// <summary>The API base URL (ending in <c>/v1</c>) once started; null before.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>
    /// Binds the port and starts serving. Returns the API base URL, e.g. <c>http://127.0.0.1:8080/v1</c>,
    /// with the actual port when <see cref="ServerOptions.Port"/> is 0.
    /// </summary>
    /// <exception cref="IOException">The address cannot be bound (port in use, address not on this machine).</exception>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
            throw new InvalidOperationException("The server is already started.");

        var app = Build();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Cannot listen on {_options.Host}:{_options.Port}: {ex.Message}", ex);
        }

        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        ServerLog.Listening(_logger, BaseUrl, ModelName);
        return BaseUrl;
    }

    /// <summary>
    /// Returns once <paramref name="cancellationToken"/> is cancelled (Ctrl+C in a console host) or the process receives
    /// SIGTERM (service managers, containers), whichever comes first, so a host that then disposes the server stops the
    /// same graceful way for both. SIGTERM is only intercepted while this waits.
    /// </summary>
    public async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops listening; requests in flight are given a few seconds to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(grace.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private WebApplication Build()
    {
        // The empty builder reads no appsettings or environment: the options are the whole configuration.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddRoutingCore();
        // The host's own logs (request starting/finished, hosting environment) stay silent: one line per request
        // comes from this class. Process signals belong to the embedder.
        builder.Services.AddSingleton<IHostLifetime, HostWithoutSignals>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The chat endpoint enforces the same limit with an OpenAI-style 413; Kestrel's covers every other route.
            kestrel.Limits.MaxRequestBodySize = _options.MaxRequestBodyBytes;
            kestrel.Listen(_options.ListenAddress, _options.Port);
        });

        var app = builder.Build();
        var created = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        var generation = new Generation(_generator, _queue, _options, _logger);
        var chat = new ChatCompletionsEndpoint(generation, ModelName, _options);
        var completions = new CompletionsEndpoint(generation, ModelName, _options);
        var models = new ModelsEndpoint(ModelName, created);

        app.Use(HandleErrorsAndLogAsync);
        app.UseRouting();
        app.MapGet("/v1/models", models.HandleAsync);
        app.MapPost("/v1/chat/completions", chat.HandleAsync);
        app.MapPost("/v1/completions", completions.HandleAsync);
        app.MapGet("/health", context => JsonResponse.WriteAsync(context, new System.Text.Json.Nodes.JsonObject { ["status"] = "ok" }));
        app.MapFallback(context => new ApiError(
            StatusCodes.Status404NotFound,
            $"Invalid URL ({context.Request.Method} {context.Request.Path}). Routes: GET /v1/models, POST /v1/chat/completions, POST /v1/completions.",
            ApiError.InvalidRequestType).WriteAsync(context));
        return app;
    }

    /// <summary>Outermost middleware: every failure becomes an OpenAI-style error body, and every request one log line.</summary>
    private async Task HandleErrorsAndLogAsync(HttpContext context, RequestDelegate next)
    {
        var started = _options.TimeProvider.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            await error.WriteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own rejections: body too large, truncated body.
            await new ApiError(ex.StatusCode, ex.Message, ApiError.InvalidRequestType).WriteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            ServerLog.GenerationFailed(_logger, ex);
            await new ApiError(StatusCodes.Status500InternalServerError, ex.Message, ApiError.ServerErrorType).WriteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
            {
                await new ApiError(StatusCodes.Status405MethodNotAllowed,
                    $"Method {context.Request.Method} is not allowed for {context.Request.Path}.", ApiError.InvalidRequestType)
                    .WriteAsync(context).ConfigureAwait(false);
            }

            ServerLog.RequestCompleted(_logger, context.Request.Method, context.Request.Path, context.Response.StatusCode,
                _options.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
