using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentKit.Server.Endpoints;

/// <summary>
/// What the generation endpoints share: reading and parsing the body, waiting for a generation slot, running the
/// generator whole or as server-sent events, and turning its failures into OpenAI-style errors. A failure after
/// streaming has begun cannot change the status code, so it is sent as a final <c>data: {"error":…}</c> event
/// instead, without <c>[DONE]</c>.
/// </summary>
internal sealed class Generation(ICandidateGenerator generator, GenerationQueue queue, ServerOptions options, ILogger logger)
{
    /// <summary>Reads the body under the size limit and parses it with <paramref name="read"/>; every mistake is a 4xx.</summary>
    public async Task<T> ReadRequestAsync<T>(HttpContext context, Func<JsonElement, T> read)
    {
        var body = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        try
        {
            using var document = JsonDocument.Parse(body);
            return read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {ex.Message}", ApiError.InvalidRequestType, code: "invalid_json");
        }
        catch (ArgumentException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, ex.Message, ApiError.InvalidRequestType);
        }
    }

    /// <summary>Generates the whole result once a slot is free.</summary>
    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken aborted)
    {
        var queuedAt = options.TimeProvider.GetTimestamp();
        using var slot = await queue.EnterAsync(aborted);
        var queueWait = options.TimeProvider.GetElapsedTime(queuedAt);
        CandidateResult result;
        try
        {
            result = await generator.GenerateAsync(request, aborted);
        }
        catch (Exception ex) when (AsApiError(ex, aborted) is { } error)
        {
            throw error;
        }

        ServerLog.Generated(logger, request.N, result.Candidates.Sum(c => c.Tokens), queueWait.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Streams the candidates once a slot is free: each delta becomes the events <paramref name="toEvents"/> makes of
    /// it, then <paramref name="atEnd"/>'s, then <c>[DONE]</c>. Returns the number of events sent.
    /// </summary>
    public async Task<int> StreamAsync(
        HttpContext context, CandidateRequest request, Func<CandidateDelta, IEnumerable<JsonObject>> toEvents, Func<IEnumerable<JsonObject>> atEnd)
    {
        var aborted = context.RequestAborted;
        var queuedAt = options.TimeProvider.GetTimestamp();
        using var slot = await queue.EnterAsync(aborted);
        var queueWait = options.TimeProvider.GetElapsedTime(queuedAt);
        var deltas = (generator is IStreamingCandidateGenerator streaming
            ? streaming.StreamAsync(request, aborted)
            : AsDeltas(generator, request, aborted)).GetAsyncEnumerator(aborted);
        var events = 0;
        try
        {
            // Pull the first delta before sending headers, so an immediate failure still gets a real status code.
            bool hasDelta;
            try
            {
                hasDelta = await deltas.MoveNextAsync();
            }
            catch (Exception ex) when (AsApiError(ex, aborted) is { } error)
            {
                throw error;
            }

            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            try
            {
                for (; hasDelta; hasDelta = await deltas.MoveNextAsync())
                {
                    if (deltas.Current.Index < 0 || deltas.Current.Index >= request.N)
                        continue;
                    foreach (var data in toEvents(deltas.Current))
                    {
                        await WriteEventAsync(context, data.ToJsonString());
                        events++;
                    }
                }

                foreach (var data in atEnd())
                {
                    await WriteEventAsync(context, data.ToJsonString());
                    events++;
                }
                await WriteEventAsync(context, "[DONE]");
            }
            catch (Exception ex) when (AsApiError(ex, aborted) is { } error)
            {
                await WriteEventAsync(context, error.ToJson().ToJsonString());
            }
        }
        finally
        {
            await deltas.DisposeAsync();
        }

        ServerLog.Streamed(logger, request.N, events, queueWait.TotalMilliseconds);
        return events;
    }

    private static async Task WriteEventAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>A non-streaming generator's result, as one delta per candidate.</summary>
    private static async IAsyncEnumerable<CandidateDelta> AsDeltas(
        ICandidateGenerator generator, CandidateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var result = await generator.GenerateAsync(request, cancellationToken);
        for (var i = 0; i < result.Candidates.Count; i++)
        {
            var candidate = result.Candidates[i];
            yield return new CandidateDelta(i, candidate.Text, candidate.FinishReason)
            {
                Logprobs = candidate.Logprobs,
                Tokens = candidate.Tokens,
                PromptTokens = result.PromptTokens,
            };
        }
    }

    /// <summary>
    /// Maps a generator failure to the error sent back; null (rethrow) when the client went away.
    /// Argument and not-supported errors are the request's fault (a grammar the backend rejects, a prompt
    /// longer than the context, logprobs from a backend without them): 400. Anything else is the server's:
    /// 500, logged, and the server keeps serving.
    /// </summary>
    private ApiError? AsApiError(Exception ex, CancellationToken aborted)
    {
        if (ex is OperationCanceledException && aborted.IsCancellationRequested)
            return null;
        if (ex is ApiError api)
            return api;
        if (ex is ArgumentException or NotSupportedException)
        {
            ServerLog.Rejected(logger, ex.Message);
            return new ApiError(StatusCodes.Status400BadRequest, ex.Message, ApiError.InvalidRequestType);
        }

        ServerLog.GenerationFailed(logger, ex);
        return new ApiError(StatusCodes.Status500InternalServerError, $"Generation failed: {ex.Message}", ApiError.ServerErrorType);
    }
}
