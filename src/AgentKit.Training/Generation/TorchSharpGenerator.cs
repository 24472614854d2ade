using System.Diagnostics;
using AgentKit.Abstractions.Models;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using TorchSharp;

namespace AgentKit.Training.Generation;

/// <summary>
/// <see cref="ICandidateGenerator"/> over a TorchSharp checkpoint (config.json + safetensors + tokenizer.json,
/// LoRA adapters merged on load): one prompt evaluation, N candidates sampled in a batch. Chat messages are
/// rendered with the checkpoint's chat template (<see cref="ChatPrompt"/>: ChatML for AgentKit's own checkpoints) and a
/// candidate ends at that template's end-of-turn token, so a checkpoint is asked as GRPO trained it. Grammars are not
/// supported (use the GGUF export with LLamaSharp).
/// </summary>
public sealed class TorchSharpGenerator : ICandidateGenerator, IDisposable
{
    private readonly LlamaForCausalLM _model;
    private readonly ITextTokenizer _tokenizer;
    private readonly int[] _stopIds;
    private readonly Func<IReadOnlyList<(string Role, string Content)>, string> _render;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Wraps an already loaded model and tokenizer (the generator takes ownership of the model).</summary>
    /// <param name="model">The policy.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="identity">The name and source reported with each result.</param>
    /// <param name="render">Chat turns to prompt text; default ChatML (<see cref="ChatPrompt.ChatMl"/>).</param>
    /// <param name="stopTokenIds">Ids that end a candidate; default <c>&lt;|im_end|&gt;</c> and end-of-text where the tokenizer has them.</param>
    public TorchSharpGenerator(LlamaForCausalLM model, ITextTokenizer tokenizer, ModelIdentity identity,
        Func<IReadOnlyList<(string Role, string Content)>, string>? render = null, IReadOnlyList<int>? stopTokenIds = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        Model = identity;
        if (_model.HasLora)
            _model.MergeLora();
        _model.eval();
        _render = render ?? ChatPrompt.ChatMl;
        _stopIds = stopTokenIds is not null
            ? [.. stopTokenIds]
            : ChatFormat.StopTokenIds(tokenizer);
    }

    /// <summary>Loads the checkpoint in <paramref name="directory"/> onto <paramref name="device"/> (default CPU), prompted in its chat template.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="warn">Told once when the checkpoint's template is one llama.cpp does not know (ChatML is used instead).</param>
    /// <exception cref="InvalidOperationException">CUDA was asked for where libtorch has none; nothing is loaded.</exception>
    public static TorchSharpGenerator Open(string directory, ComputeDevice device = ComputeDevice.Cpu, Action<string>? warn = null)
    {
        var torchDevice = ComputeDevices.Resolve(device);
        var model = CheckpointIO.Load(directory);
        try
        {
            model.to(torchDevice);
            var tokenizer = TokenizerLoader.Load(directory);
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            return new TorchSharpGenerator(model, tokenizer, new ModelIdentity(name, Path.GetFullPath(directory)),
                ChatPrompt.For(directory, warn), ChatPrompt.StopTokenIds(directory, tokenizer));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ModelIdentity Model { get; }

    /// <inheritdoc />
    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        request.Validate();
        if (request.Grammar is not null)
            throw new NotSupportedException("Grammar-constrained sampling is not supported on TorchSharp checkpoints; export to GGUF and use the LLamaSharp backend.");
        var text = request.Prompt ?? _render([.. request.Messages!.Select(m => (m.Role.Value, m.Text))]);
        var prompt = _tokenizer.Encode(text);
        if (prompt.Count == 0)
            throw new ArgumentException("The prompt encodes to no tokens.");
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var options = new SamplingOptions
            {
                Temperature = request.Temperature, TopP = request.TopP, Seed = request.Seed, MaxNewTokens = request.MaxTokens, StopTokenIds = _stopIds,
            };
            var stopped = new bool[request.N];
            var outputs = await Task.Run(() => TokenSampler.Generate(_model, prompt, options, request.N, (i, tokens) =>
                stopped[i] = request.Stop.Count > 0 && request.Stop.Any(s => _tokenizer.Decode(tokens).Contains(s, StringComparison.Ordinal)),
                cancellationToken), cancellationToken).ConfigureAwait(false);
            var candidates = outputs.Select((tokens, i) =>
            {
                var decoded = _tokenizer.Decode(tokens);
                var stopAt = request.Stop.Select(s => decoded.IndexOf(s, StringComparison.Ordinal)).Where(at => at >= 0).DefaultIfEmpty(-1).Min();
                var finished = stopAt >= 0 || tokens.Length < request.MaxTokens;
                return new CandidateCompletion(stopAt >= 0 ? decoded[..stopAt] : decoded, tokens.Length, finished ? FinishReasons.Stop : FinishReasons.Length);
            }).ToList();
            return new CandidateResult(candidates, prompt.Count, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }
}
