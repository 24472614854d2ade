using System.ClientModel;
using System.Collections.Concurrent;
using AgentKit.Abstractions.Models;
using AgentKit.Models;
using AgentKit.Models.Gguf;
using AgentKit.Models.LlamaSharp;
using OpenAI;
using OpenAI.Chat;

namespace AgentKit.Server.Benchmarks;

/// <summary>
/// Load on an OpenAI-compatible server from real clients: <see cref="ServerLoadOptions.Clients"/> OpenAI .NET SDK
/// chat clients send chat completions back to back for <see cref="ServerLoadOptions.Duration"/>; the report has
/// requests per second, latency percentiles and every error counted.
/// </summary>
/// <example>
/// <code>
/// var report = await ServerLoadBenchmark.RunAsync(generator, new ServerLoadOptions { Clients = 20, Duration = TimeSpan.FromMinutes(1) });
/// </code>
/// </example>
public static class ServerLoadBenchmark
{
    private const int KeptErrors = 5;

    /// <summary>The model measured when none is given: a small random llama (~4M parameters), so a run takes seconds on a laptop CPU.</summary>
    public static RandomLlamaOptions DefaultModelOptions => new()
    {
        Layers = 4, Embedding = 256, Heads = 4, KvHeads = 4, FeedForward = 768, Name = "agentkit-bench-serve-random",
    };

    /// <summary>
    /// Loads the GGUF <paramref name="model"/> names, serves and measures it. With <paramref name="randomModel"/> the file is first
    /// written from <see cref="DefaultModelOptions"/> to a new temporary path (replacing <c>model.ModelPath</c>) and deleted afterwards.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> or <paramref name="options"/> are invalid (checked before any work).</exception>
    /// <exception cref="InvalidDataException">The model file cannot be loaded.</exception>
    public static async Task<ServerLoadReport> RunAsync(LlamaSharpOptions model, bool randomModel, ServerLoadOptions options, CancellationToken cancellationToken = default)
    {
        model.Validate();
        options.Validate();
        var temporary = randomModel ? Path.Combine(Path.GetTempPath(), $"agentkit-bench-serve-{Guid.NewGuid():N}.gguf") : null;
        try
        {
            if (temporary is not null)
                RandomLlamaModel.Write(temporary, DefaultModelOptions);
            using var generator = Load(model with { ModelPath = temporary ?? model.ModelPath });
            return await RunAsync(generator, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (temporary is not null)
                File.Delete(temporary);
        }
    }

    private static LlamaSharpGenerator Load(LlamaSharpOptions model)
    {
        try
        {
            return new LlamaSharpGenerator(model);
        }
        catch (ModelLoadException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>Serves <paramref name="generator"/> on a free loopback port for the run, then measures it.</summary>
    public static async Task<ServerLoadReport> RunAsync(ICandidateGenerator generator, ServerLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        await using var server = new OpenAICompatibleServer(generator, new ServerOptions { Port = 0, ModelName = "bench", TimeProvider = options.TimeProvider });
        var url = await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(url, server.ModelName, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Measures the server at <paramref name="baseUrl"/> (ending in <c>/v1</c>) serving <paramref name="model"/>.</summary>
    public static async Task<ServerLoadReport> RunAsync(Uri baseUrl, string model, ServerLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var time = options.TimeProvider;
        // One SDK client per simulated user, as separate applications would have (each with its own connection pool);
        // no retries, so every failure is counted once and no latency hides a retried request.
        var clients = Enumerable.Range(0, options.Clients)
            .Select(_ => new ChatClient(model, new ApiKeyCredential("unused"), new OpenAIClientOptions
            {
                Endpoint = baseUrl,
                NetworkTimeout = TimeSpan.FromMinutes(10),
                RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            }))
            .ToList();
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        var errorCount = 0;
        long tokens = 0;
        var requestOptions = new ChatCompletionOptions { MaxOutputTokenCount = options.MaxTokens };
        List<ChatMessage> messages = [new UserChatMessage(options.Prompt)];

        var started = time.GetTimestamp();
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            while (time.GetElapsedTime(started) < options.Duration && !cancellationToken.IsCancellationRequested)
            {
                var sent = time.GetTimestamp();
                try
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages, requestOptions, cancellationToken).ConfigureAwait(false);
                    if (completion.Usage is null || completion.Content.Count == 0 && completion.FinishReason != ChatFinishReason.Length)
                        throw new InvalidDataException("the answer had no usage figures or no content");
                    latencies.Add(time.GetElapsedTime(sent).TotalMilliseconds);
                    Interlocked.Add(ref tokens, completion.Usage.OutputTokenCount);
                }
                catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException or InvalidDataException
                                           || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errorCount);
                    if (errors.Count < KeptErrors)
                        errors.Enqueue(ex.Message);
                }
            }
        }, CancellationToken.None))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var seconds = time.GetElapsedTime(started).TotalSeconds;
        var sorted = latencies.Order().ToArray();
        return new ServerLoadReport(
            options.Clients,
            Math.Round(seconds, 2),
            sorted.Length + errorCount,
            errorCount,
            Math.Round(sorted.Length / seconds, 2),
            Math.Round(Percentile(sorted, 0.50), 1),
            Math.Round(Percentile(sorted, 0.99), 1),
            Math.Round(sorted.Length > 0 ? sorted[^1] : 0, 1),
            tokens,
            Math.Round(tokens / seconds, 1),
            [.. errors.Take(KeptErrors)]);
    }

    /// <summary>Nearest-rank percentile of sorted values (0 when there are none).</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
