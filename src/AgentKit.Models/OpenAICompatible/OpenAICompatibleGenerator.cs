using System.ClientModel;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentKit.Models.OpenAICompatible;

/// <summary>
/// Samples candidates from any OpenAI-compatible <c>/chat/completions</c> endpoint.
/// Asks for all N candidates with the <c>n</c> parameter; many servers ignore <c>n</c> (or reject it with
/// 400), so the candidates still missing are fetched with one request each, in parallel up to
/// <see cref="OpenAICompatibleOptions.MaxParallelRequests"/>, candidate <c>i</c> using seed <c>Seed + i</c>.
/// Raw HTTP + System.Text.Json rather than the OpenAI SDK, which exposes neither <c>n</c> nor extra fields
/// such as <c>grammar</c>; <see cref="AsChatClient"/> gives the SDK-backed <see cref="IChatClient"/> for the rest.
/// </summary>
/// <remarks>
/// A raw <see cref="CandidateRequest.Prompt"/> is sent as one user message (the chat API has no raw-text mode),
/// so the server applies its chat template. <see cref="CandidateRequest.Grammar"/> is sent as llama.cpp server's
/// <c>grammar</c> field (also read by <c>agentkit serve</c>); vLLM ignores that field (it takes
/// <c>guided_grammar</c> or <c>structured_outputs</c>), so candidates from vLLM are unconstrained.
/// Failures raise <see cref="HttpRequestException"/> (unreachable server, or a non-2xx status with the
/// server's message), <see cref="TimeoutException"/> and <see cref="InvalidDataException"/> (a response
/// that is not an OpenAI chat completion), after the retries of <see cref="OpenAICompatibleOptions.Retry"/> are spent.
/// With several choices in one response, <see cref="CandidateCompletion.Tokens"/> is the response's
/// <c>completion_tokens</c> shared evenly between them: the API reports no per-choice count.
/// </remarks>
public sealed class OpenAICompatibleGenerator : IStreamingCandidateGenerator, IDisposable
{
    private readonly OpenAICompatibleOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SemaphoreSlim _requestSlots;
    private readonly Lazy<IChatClient> _chatClient;
    private readonly EndpointRetry _retry;

    // Set once the server has rejected n > 1 but served n = 1, so later calls skip the doomed request.
    private volatile bool _serverRejectsN;

    /// <summary>Creates a generator for <paramref name="options"/> (validated here).</summary>
    /// <param name="options">Endpoint, model and limits.</param>
    /// <param name="httpClient">Client to send with (not disposed by the generator); null creates one.</param>
    public OpenAICompatibleGenerator(OpenAICompatibleOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _ownsHttp = httpClient is null;
        // The timeout is enforced per request by a token that also covers reading a streamed body.
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _requestSlots = new SemaphoreSlim(options.MaxParallelRequests, options.MaxParallelRequests);
        _chatClient = new Lazy<IChatClient>(CreateChatClient);
        _retry = new EndpointRetry(options.Retry, options.TimeProvider);
        Model = new ModelIdentity(options.Model, options.Endpoint.AbsoluteUri);
    }

    /// <inheritdoc />
    public ModelIdentity Model { get; }

    /// <summary>
    /// An <see cref="IChatClient"/> (Microsoft.Extensions.AI over the OpenAI SDK) for the same endpoint and
    /// model, for chat, tool calling and Semantic Kernel. Servers without keys get a placeholder key.
    /// </summary>
    public IChatClient AsChatClient() => _chatClient.Value;

    /// <summary>Log probabilities are not read from the endpoint's answers yet: refusing beats returning none silently.</summary>
    private static void RefuseLogprobs(CandidateRequest request)
    {
        if (request.TopLogprobs is not null)
            throw new NotSupportedException("The OpenAI-compatible backend does not report log probabilities; use a local GGUF model for logprobs.");
    }

    /// <inheritdoc />
    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RefuseLogprobs(request.Validate());
        var started = _options.TimeProvider.GetTimestamp();
        var candidates = new CandidateCompletion?[request.N];

        var first = await FirstCompletionAsync(request, cancellationToken).ConfigureAwait(false);
        Place(first, candidates, indexOffset: 0);

        var missing = Enumerable.Range(0, request.N).Where(i => candidates[i] is null).ToArray();
        if (missing.Length > 0)
        {
            var rest = await Task.WhenAll(missing.Select(i =>
                CompleteAsync(request, n: 1, SeedFor(request, i), cancellationToken))).ConfigureAwait(false);
            for (var k = 0; k < missing.Length; k++)
            {
                if (rest[k].Choices.Count == 0)
                    throw new InvalidDataException($"Malformed chat completion from {_options.ChatCompletionsUri}: no choices.");
                Place(rest[k] with { Choices = [rest[k].Choices[0] with { Index = 0 }] }, candidates, indexOffset: missing[k]);
            }
        }

        return new CandidateResult(candidates!, first.PromptTokens, _options.TimeProvider.GetElapsedTime(started));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CandidateDelta> StreamAsync(
        CandidateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RefuseLogprobs(request.Validate());
        var seen = new bool[request.N];
        var finished = new bool[request.N];

        await foreach (var delta in StreamFirstAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (delta.Index >= request.N)
                continue; // A server that returns more choices than asked: the extras are not ours.
            seen[delta.Index] = true;
            finished[delta.Index] |= delta.FinishReason is not null;
            yield return delta;
        }

        var missing = Enumerable.Range(0, request.N).Where(i => !seen[i]).ToArray();
        if (missing.Length > 0)
        {
            var sources = missing.Select(i => WithIndex(StreamOneAsync(request, 1, SeedFor(request, i), cancellationToken), i));
            await foreach (var delta in ParallelStreams.MergeAsync(sources, cancellationToken).ConfigureAwait(false))
            {
                finished[delta.Index] |= delta.FinishReason is not null;
                yield return delta;
            }
        }

        var unfinished = Array.FindIndex(finished, f => !f);
        if (unfinished >= 0)
            throw new InvalidDataException($"The stream from {_options.ChatCompletionsUri} ended before candidate {unfinished} finished (no finish_reason).");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
        _requestSlots.Dispose();
        if (_chatClient.IsValueCreated)
            _chatClient.Value.Dispose();
    }

    private async Task<ParsedCompletion> FirstCompletionAsync(CandidateRequest request, CancellationToken cancellationToken)
    {
        if (request.N == 1 || _serverRejectsN)
            return await CompleteAsync(request, 1, request.Seed, cancellationToken).ConfigureAwait(false);
        try
        {
            return await CompleteAsync(request, request.N, request.Seed, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (EndpointErrors.IsParameterRejection(ex.StatusCode))
        {
            // llama.cpp server answers 400 "Only one completion choice is allowed" for n > 1. If n = 1 fails
            // too, the request itself was bad and that error surfaces from here.
            var single = await CompleteAsync(request, 1, request.Seed, cancellationToken).ConfigureAwait(false);
            _serverRejectsN = true;
            return single;
        }
    }

    private async IAsyncEnumerable<CandidateDelta> StreamFirstAsync(
        CandidateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var n = request.N == 1 || _serverRejectsN ? 1 : request.N;
        var deltas = StreamOneAsync(request, n, request.Seed, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool hasFirst;
        try
        {
            hasFirst = await deltas.MoveNextAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (n > 1 && EndpointErrors.IsParameterRejection(ex.StatusCode))
        {
            await deltas.DisposeAsync().ConfigureAwait(false);
            n = 1;
            deltas = StreamOneAsync(request, 1, request.Seed, cancellationToken).GetAsyncEnumerator(cancellationToken);
            hasFirst = await deltas.MoveNextAsync().ConfigureAwait(false);
            _serverRejectsN = true;
        }

        try
        {
            for (var has = hasFirst; has; has = await deltas.MoveNextAsync().ConfigureAwait(false))
                yield return deltas.Current;
        }
        finally
        {
            await deltas.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<ParsedCompletion> CompleteAsync(CandidateRequest request, int n, int? seed, CancellationToken cancellationToken) =>
        _retry.RunAsync(ct => CompleteOnceAsync(request, n, seed, ct), cancellationToken);

    private async Task<ParsedCompletion> CompleteOnceAsync(CandidateRequest request, int n, int? seed, CancellationToken cancellationToken)
    {
        var uri = _options.ChatCompletionsUri;
        await _requestSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var response = await SendAsync(ChatCompletionPayload.Build(_options.Model, request, n, seed, stream: false), linked.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                return ChatCompletionParser.ParseCompletion(body, uri);
            }
            catch (Exception ex) when (Translate(ex, cancellationToken, timeout) is { } translated)
            {
                throw translated;
            }
        }
        finally
        {
            _requestSlots.Release();
        }
    }

    private async IAsyncEnumerable<CandidateDelta> StreamOneAsync(
        CandidateRequest request, int n, int? seed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uri = _options.ChatCompletionsUri;
        // Only opening the stream is retried: once deltas have been handed out, a retry would repeat them.
        await using var stream = await _retry.RunAsync(ct => OpenStreamAsync(request, n, seed, ct), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            IEnumerable<CandidateDelta> deltas;
            try
            {
                if (!await stream.Events.MoveNextAsync().ConfigureAwait(false) || stream.Events.Current.Data == "[DONE]")
                    break;
                deltas = ChatCompletionParser.ParseChunk(stream.Events.Current.Data, uri);
            }
            catch (Exception ex) when (Translate(ex, cancellationToken, stream.Timeout) is { } translated)
            {
                throw translated;
            }

            foreach (var delta in deltas)
                yield return delta;
        }
    }

    /// <summary>Sends a streaming request and returns its open event stream, which holds a request slot until disposed.</summary>
    private async Task<OpenStream> OpenStreamAsync(CandidateRequest request, int n, int? seed, CancellationToken cancellationToken)
    {
        await _requestSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var timeout = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(ChatCompletionPayload.Build(_options.Model, request, n, seed, stream: true), linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var events = SseParser.Create(body).EnumerateAsync(linked.Token).GetAsyncEnumerator(linked.Token);
            return new OpenStream(response, events, timeout, linked, _requestSlots);
        }
        catch (Exception ex)
        {
            var translated = Translate(ex, cancellationToken, timeout);
            response?.Dispose();
            linked.Dispose();
            timeout.Dispose();
            _requestSlots.Release();
            if (translated is not null)
                throw translated;
            throw;
        }
    }

    /// <summary>A streaming response being read: its events, its timeout, and the request slot it holds.</summary>
    private sealed class OpenStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events,
        CancellationTokenSource timeout, CancellationTokenSource linked, SemaphoreSlim slots) : IAsyncDisposable
    {
        public IAsyncEnumerator<SseItem<string>> Events => events;

        public CancellationTokenSource Timeout => timeout;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
                linked.Dispose();
                timeout.Dispose();
                slots.Release();
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var uri = _options.ChatCompletionsUri;
        using var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (_options.ApiKey is { } key)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await EndpointErrors.FromResponseAsync(uri, response, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Maps transport-level failures to explanatory exceptions; null leaves the exception as it is.</summary>
    private Exception? Translate(Exception ex, CancellationToken caller, CancellationTokenSource timeout)
    {
        var uri = _options.ChatCompletionsUri;
        return ex switch
        {
            OperationCanceledException when timeout.IsCancellationRequested && !caller.IsCancellationRequested
                => EndpointErrors.TimedOut(uri, _options.Timeout),
            HttpRequestException { StatusCode: null } http when http.InnerException is not null
                => EndpointErrors.Unreachable(uri, http),
            IOException io => new HttpRequestException($"The connection to {uri} broke while reading the response: {io.Message}", io),
            _ => null,
        };
    }

    private void Place(ParsedCompletion completion, CandidateCompletion?[] candidates, int indexOffset)
    {
        var count = completion.Choices.Count;
        for (var k = 0; k < count; k++)
        {
            var choice = completion.Choices[k];
            var index = indexOffset + choice.Index;
            if (index >= candidates.Length || candidates[index] is not null)
                continue;
            // Share completion_tokens evenly; the remainder goes to the first choices.
            var tokens = completion.CompletionTokens / count + (k < completion.CompletionTokens % count ? 1 : 0);
            candidates[index] = new CandidateCompletion(choice.Text, tokens, choice.FinishReason);
        }
    }

    private static int? SeedFor(CandidateRequest request, int candidate) =>
        request.Seed is { } seed ? unchecked(seed + candidate) : null;

    private static async IAsyncEnumerable<CandidateDelta> WithIndex(IAsyncEnumerable<CandidateDelta> source, int index)
    {
        await foreach (var delta in source.ConfigureAwait(false))
            yield return delta with { Index = index };
    }

    private IChatClient CreateChatClient()
    {
        // The SDK insists on a key; local servers ignore the placeholder.
        var credential = new ApiKeyCredential(_options.ApiKey ?? "no-key");
        var clientOptions = new OpenAIClientOptions { Endpoint = _options.Endpoint };
        if (_options.Timeout != Timeout.InfiniteTimeSpan)
            clientOptions.NetworkTimeout = _options.Timeout;
        return new OpenAIClient(credential, clientOptions).GetChatClient(_options.Model).AsIChatClient();
    }
}
