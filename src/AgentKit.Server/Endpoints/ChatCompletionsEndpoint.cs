using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentKit.Server.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: validates the body, waits for a generation slot, then answers with one
/// <c>chat.completion</c> or, for <c>"stream": true</c>, server-sent <c>chat.completion.chunk</c> events
/// ending with <c>data: [DONE]</c>. A failure after streaming has begun cannot change the status code, so it
/// is sent as a final <c>data: {"error":…}</c> event instead, without <c>[DONE]</c>.
/// </summary>
internal sealed class ChatCompletionsEndpoint(
    ICandidateGenerator generator, GenerationQueue queue, string modelName, ServerOptions options, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        ChatCompletionCall call;
        var body = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes, aborted);
        try
        {
            using var document = JsonDocument.Parse(body);
            call = ChatCompletionRequestReader.Read(document.RootElement, ChatCompletionLimits.From(options));
            call.Candidates.Validate();
        }
        catch (JsonException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {ex.Message}", ApiError.InvalidRequestType, code: "invalid_json");
        }
        catch (ArgumentException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, ex.Message, ApiError.InvalidRequestType);
        }

        var queuedAt = options.TimeProvider.GetTimestamp();
        using var slot = await queue.EnterAsync(aborted);
        var queueWait = options.TimeProvider.GetElapsedTime(queuedAt);
        var responses = new ChatCompletionResponses(modelName, options.TimeProvider.GetUtcNow().ToUnixTimeSeconds());

        if (call.Stream)
        {
            var chunks = await StreamAsync(context, call.Candidates, responses);
            ServerLog.Streamed(logger, call.Candidates.N, chunks, queueWait.TotalMilliseconds);
            return;
        }

        CandidateResult result;
        try
        {
            result = await generator.GenerateAsync(call.Candidates, aborted);
        }
        catch (Exception ex) when (AsApiError(ex, aborted) is { } error)
        {
            throw error;
        }

        ServerLog.Generated(logger, call.Candidates.N, result.Candidates.Sum(c => c.Tokens), queueWait.TotalMilliseconds);
        await JsonResponse.WriteAsync(context, responses.Completion(result));
    }

    /// <summary>Streams the candidates; returns the number of chunks sent.</summary>
    private async Task<int> StreamAsync(HttpContext context, CandidateRequest request, ChatCompletionResponses responses)
    {
        var aborted = context.RequestAborted;
        var deltas = (generator is IStreamingCandidateGenerator streaming
            ? streaming.StreamAsync(request, aborted)
            : AsDeltas(generator, request, aborted)).GetAsyncEnumerator(aborted);
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
            var started = new bool[request.N];
            var chunks = 0;
            try
            {
                for (; hasDelta; hasDelta = await deltas.MoveNextAsync())
                {
                    var delta = deltas.Current;
                    if (delta.Index < 0 || delta.Index >= request.N)
                        continue;
                    await WriteEventAsync(context, responses.Chunk(delta.Index, delta.Text, !started[delta.Index], delta.FinishReason).ToJsonString());
                    started[delta.Index] = true;
                    chunks++;
                }

                await WriteEventAsync(context, "[DONE]");
            }
            catch (Exception ex) when (AsApiError(ex, aborted) is { } error)
            {
                await WriteEventAsync(context, error.ToJson().ToJsonString());
            }

            return chunks;
        }
        finally
        {
            await deltas.DisposeAsync();
        }
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
            yield return new CandidateDelta(i, result.Candidates[i].Text, result.Candidates[i].FinishReason);
    }

    /// <summary>
    /// Maps a generator failure to the error sent back; null (rethrow) when the client went away.
    /// Argument and not-supported errors are the request's fault (a grammar the backend rejects, a prompt
    /// longer than the context): 400. Anything else is the server's: 500, logged, and the server keeps serving.
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
