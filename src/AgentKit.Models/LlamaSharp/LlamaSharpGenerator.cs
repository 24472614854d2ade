using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using AgentKit.Abstractions.Models;
using AgentKit.Models.Gguf;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// Samples N candidates of one prompt from a local GGUF model with LLamaSharp's <see cref="BatchedExecutor"/>:
/// the prompt is evaluated once, then forked N times so every candidate shares its KV cache, and all candidates
/// advance together one token per batched decode. Each candidate has its own sampler seeded with
/// <c>seed + index</c>, so the same seed gives the same candidates. Calls on one generator are serialised.
/// </summary>
/// <example>
/// <code>
/// using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = "model.gguf" });
/// var result = await generator.GenerateAsync(new CandidateRequest { Prompt = "2+2=", N = 8, Seed = 1 });
/// </code>
/// </example>
public sealed class LlamaSharpGenerator : IStreamingCandidateGenerator, IDisposable
{
    private readonly LlamaSharpOptions _options;
    private readonly LLamaWeights _weights;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<ModelIdentity> _identity;
    private readonly IReadOnlyDictionary<LLamaToken, float> _endOfGenerationBias;
    private bool _disposed;

    /// <summary>Validates the model file, then loads it.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="ModelLoadException">The file is missing, corrupt or of an unsupported kind.</exception>
    public LlamaSharpGenerator(LlamaSharpOptions options, ILogger<LlamaSharpGenerator>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        var started = _time.GetTimestamp();

        // Everything checkable is checked before native code sees the file: llama.cpp aborts on some bad files.
        Header = GgufModelValidator.Validate(options.ModelPath);
        LlamaNativeRuntime.EnsureLoaded(_logger);
        // llama.cpp silently keeps every layer on the CPU when it has no GPU backend; asking for offload is a
        // request the user expects honoured, so refuse it instead of running many times slower than asked.
        if (options.GpuLayerCount != 0 && !NativeApi.llama_supports_gpu_offload())
            throw new ModelLoadException(ModelLoadFailure.GpuUnavailable, options.ModelPath,
                $"GpuLayerCount {options.GpuLayerCount} needs a GPU, but the loaded llama.cpp backend cannot offload to one " +
                "(a CPU build, or no CUDA device): build with -p:AgentKitLlamaBackend=Cuda12 on a machine with an NVIDIA GPU, or offload 0 layers.");
        LlamaNativeRuntime.ClearLastError();
        try
        {
            _weights = LLamaWeights.LoadFromFile(new ModelParams(options.ModelPath) { GpuLayerCount = options.GpuLayerCount });
        }
        catch (Exception ex) when (ex is LoadWeightsFailedException or RuntimeError)
        {
            var reason = LlamaNativeRuntime.LastError is { } error
                ? $"llama.cpp says: {error}"
                : "a required tensor or metadata key is probably missing or has the wrong shape";
            throw new ModelLoadException(ModelLoadFailure.NativeLoadFailed, options.ModelPath,
                $"llama.cpp could not load model file '{options.ModelPath}' (architecture '{Header.Architecture}'): {reason}.", ex);
        }

        var path = Path.GetFullPath(options.ModelPath);
        _identity = new Lazy<ModelIdentity>(() => new ModelIdentity(Path.GetFileNameWithoutExtension(path), path, HashFile(path)));
        _endOfGenerationBias = options.IgnoreEndOfGeneration ? EndOfGenerationBias(_weights) : new Dictionary<LLamaToken, float>();
        Log.ModelLoaded(_logger, Path.GetFileName(path), Header.Architecture!, Header.ParameterCount, _time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    /// <remarks>The SHA-256 of the file is computed on first access.</remarks>
    public ModelIdentity Model => _identity.Value;

    /// <summary>The validated GGUF header of the loaded model.</summary>
    public GgufFile Header { get; }

    /// <summary>True when the GGUF carries a chat template (otherwise messages are rendered as ChatML).</summary>
    public bool HasChatTemplate => Header["tokenizer.chat_template"] is { Type: GgufValueType.String };

    /// <summary>The model's trained context length.</summary>
    public int TrainedContextLength => _weights.ContextSize;

    /// <inheritdoc />
    public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, onDelta: null, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<CandidateDelta> StreamAsync(CandidateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var channel = Channel.CreateUnbounded<CandidateDelta>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(async () =>
        {
            try
            {
                await RunAsync(request, delta => channel.Writer.TryWrite(delta), stop.Token).ConfigureAwait(false);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var delta in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return delta;
        }
        finally
        {
            // The consumer may stop early: cancel the generation and wait so the model is free again.
            stop.Cancel();
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>
    /// A <see cref="IChatClient"/> over this generator: one candidate per call, options mapped from
    /// <see cref="ChatOptions"/> (temperature, top-p, seed, max output tokens, stop sequences; a GBNF grammar via
    /// <c>AdditionalProperties["grammar"]</c>). Disposing the client does not dispose the generator.
    /// </summary>
    public IChatClient AsChatClient() => new LlamaSharpChatClient(this);

    /// <summary>Renders the request's prompt text: the raw prompt, or the messages with the chat template.</summary>
    public string RenderPrompt(CandidateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Prompt is not null)
            return request.Prompt;
        return ChatPromptRenderer.Render(_weights, HasChatTemplate, request.Messages!,
            ex => Log.TemplateFallback(_logger, Path.GetFileName(_options.ModelPath), ex));
    }

    /// <summary>Tokenizes text as a prompt would be (BOS when the model wants one, special tokens parsed).</summary>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return [.. _weights.Tokenize(text, _weights.Vocab.ShouldAddBOS, special: true, System.Text.Encoding.UTF8).Select(t => (int)t)];
    }

    /// <summary>Turns token ids back into text (special tokens are dropped).</summary>
    public string Detokenize(IEnumerable<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var decoder = new StreamingTokenDecoder(System.Text.Encoding.UTF8, _weights);
        foreach (var token in tokens)
            decoder.Add(token);
        return decoder.Read();
    }

    /// <summary>Frees the model, waiting for a generation in progress to finish.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _gate.Wait();
        try
        {
            _disposed = true;
            _weights.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CandidateResult> RunAsync(CandidateRequest request, Action<CandidateDelta>? onDelta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (request.Grammar is not null)
        {
            GbnfValidator.Validate(request.Grammar); // llama.cpp crashes the process on a bad grammar
            if (_options.IgnoreEndOfGeneration)
                throw new ArgumentException("A grammar cannot be used with IgnoreEndOfGeneration: once the grammar is complete only end-of-generation tokens are allowed.");
        }
        var grammar = request.Grammar is null ? null : new Grammar(request.Grammar, "root");
        var seed = request.Seed ?? Random.Shared.Next();

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var started = _time.GetTimestamp();
            var prompt = PromptTokens(RenderPrompt(request));
            // A candidate may run until its context window is full, whatever MaxTokens says.
            var maxTokens = Math.Min(request.MaxTokens, _options.ContextSize - prompt.Length);
            if (maxTokens < 1)
                throw new ArgumentException(
                    $"The prompt is {prompt.Length} tokens, which fills the {_options.ContextSize}-token context; shorten it or raise the context size.");

            using var executor = new BatchedExecutor(_weights, BatchedContextParameters.For(_options, prompt.Length, request.N, maxTokens));
            var candidates = new List<CandidateState>(request.N);
            try
            {
                using (var root = executor.Create())
                {
                    for (var start = 0; start < prompt.Length; start += _options.BatchSize)
                    {
                        root.Prompt(prompt.AsSpan(start, Math.Min(_options.BatchSize, prompt.Length - start)), allLogits: false);
                        await InferAllAsync(executor, cancellationToken).ConfigureAwait(false);
                    }
                    for (var i = 0; i < request.N; i++)
                    {
                        candidates.Add(new CandidateState(i, root.Fork(), CreateSampler(request, grammar, unchecked(seed + i)), _weights, request.Stop)
                        {
                            Logprobs = request.TopLogprobs is null ? null : [],
                        });
                    }
                }

                var logprobs = request.TopLogprobs is { } top ? new TokenLogprobReader(_weights, top) : null;
                while (true)
                {
                    foreach (var candidate in candidates.Where(c => c.IsActive))
                        Step(candidate, maxTokens, prompt.Length, logprobs, onDelta);
                    if (!candidates.Any(c => c.IsActive))
                        break;
                    await InferAllAsync(executor, cancellationToken).ConfigureAwait(false);
                }

                var completions = candidates.Select(c => c.ToCompletion()).ToList();
                var elapsed = _time.GetElapsedTime(started);
                Log.Generated(_logger, completions.Count, completions.Sum(c => c.Tokens), prompt.Length, elapsed.TotalMilliseconds);
                return new CandidateResult(completions, prompt.Length, elapsed);
            }
            finally
            {
                foreach (var candidate in candidates)
                    candidate.Dispose();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Step(CandidateState candidate, int maxTokens, int promptTokens, TokenLogprobReader? logprobs, Action<CandidateDelta>? onDelta)
    {
        var token = candidate.Conversation.Sample(candidate.Sampler);

        if (token.IsEndOfGeneration(_weights.Vocab))
        {
            Emit(candidate, candidate.Finish(FinishReasons.Stop), promptTokens, onDelta);
            return;
        }
        // Sampling copies the logits, so they are still the model's own here.
        var delta = candidate.Accept(token, logprobs?.Read(candidate.Conversation.Sample(), token));
        if (!candidate.IsActive)
        {
            Emit(candidate, delta, promptTokens, onDelta);
            return;
        }
        if (candidate.Tokens >= maxTokens)
        {
            Emit(candidate, delta + candidate.Finish(FinishReasons.Length), promptTokens, onDelta);
            return;
        }
        if (delta.Length > 0)
            onDelta?.Invoke(new CandidateDelta(candidate.Index, delta) { Logprobs = candidate.TakeNewLogprobs() });
        candidate.Conversation.Prompt(token);
    }

    private static void Emit(CandidateState candidate, string text, int promptTokens, Action<CandidateDelta>? onDelta) =>
        onDelta?.Invoke(new CandidateDelta(candidate.Index, text, candidate.FinishReason)
        {
            Logprobs = candidate.TakeNewLogprobs(),
            Tokens = candidate.Tokens,
            PromptTokens = promptTokens,
        });

    private DefaultSamplingPipeline CreateSampler(CandidateRequest request, Grammar? grammar, int seed) => new()
    {
        // llama.cpp's temperature sampler keeps only the most likely token at temperature 0: greedy decoding.
        Temperature = request.Temperature,
        TopP = request.TopP,
        Seed = unchecked((uint)seed),
        Grammar = grammar,
        LogitBias = _endOfGenerationBias,
    };

    private LLamaToken[] PromptTokens(string prompt)
    {
        var tokens = _weights.Tokenize(prompt, _weights.Vocab.ShouldAddBOS, special: true, System.Text.Encoding.UTF8);
        if (tokens.Length > 0)
            return tokens;
        // An empty prompt still needs one token to predict from.
        return _weights.Vocab.BOS is { } bos
            ? [bos]
            : throw new ArgumentException("The prompt is empty and the model has no BOS token to start from.");
    }

    private static async Task InferAllAsync(BatchedExecutor executor, CancellationToken cancellationToken)
    {
        while (executor.BatchedTokenCount > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await executor.Infer(cancellationToken).ConfigureAwait(false);
            if (result != DecodeResult.Ok)
                throw new InvalidOperationException($"llama.cpp failed to decode a batch ({result}).");
        }
    }

    private static Dictionary<LLamaToken, float> EndOfGenerationBias(LLamaWeights weights)
    {
        var bias = new Dictionary<LLamaToken, float>();
        for (var id = 0; id < weights.Vocab.Count; id++)
        {
            var token = (LLamaToken)id;
            if (token.IsEndOfGeneration(weights.Vocab))
                bias[token] = float.NegativeInfinity;
        }
        return bias;
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal string ProviderModelId => Path.GetFileNameWithoutExtension(_options.ModelPath);

    internal string ModelPath => _options.ModelPath;
}
