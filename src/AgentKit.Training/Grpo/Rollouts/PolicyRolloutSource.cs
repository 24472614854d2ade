using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Generation;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo.Rollouts;

/// <summary>
/// Rollouts that are plain completions of a prompt, sampled from the TorchSharp policy: the prompt is evaluated once and
/// its KV cache shared by the G completions, which are sampled as one batch. A completion that ends by itself keeps its
/// stop token (trained, so the policy learns when to stop); one cut at the limit is marked truncated.
/// </summary>
public sealed class PolicyRolloutSource : IRolloutSource
{
    private readonly ITextTokenizer _tokenizer;
    private readonly Func<TrajectoryTask, string> _promptOf;
    private readonly Func<string, string?> _answerOf;
    private readonly int[] _stopTokenIds;

    /// <summary>Creates a source.</summary>
    /// <param name="tokenizer">The policy's tokenizer.</param>
    /// <param name="promptOf">The prompt text of a task; default: the question as a ChatML user turn followed by the assistant header.</param>
    /// <param name="answerOf">The final answer in a completion's text; default: the trimmed text (null when empty).</param>
    /// <param name="stopTokenIds">Ids that end a completion; default: <c>&lt;|im_end|&gt;</c> and the end-of-text id, where the tokenizer has them.</param>
    public PolicyRolloutSource(ITextTokenizer tokenizer, Func<TrajectoryTask, string>? promptOf = null, Func<string, string?>? answerOf = null,
        IReadOnlyList<int>? stopTokenIds = null)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _promptOf = promptOf ?? (task => ChatFormat.Render([("user", task.Question)], addGenerationPrompt: true));
        _answerOf = answerOf ?? (text => text.Trim() is { Length: > 0 } trimmed ? trimmed : null);
        _stopTokenIds = stopTokenIds is null
            ? ChatFormat.StopTokenIds(tokenizer)
            : [.. stopTokenIds];
    }

    /// <summary>Tokens of <paramref name="task"/>'s prompt, as <see cref="SampleGroupAsync"/> encodes it.</summary>
    public int PromptTokens(TrajectoryTask task) => _tokenizer.Encode(_promptOf(task)).Count;

    /// <inheritdoc />
    public Task<IReadOnlyList<Rollout>> SampleGroupAsync(RolloutRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = _tokenizer.Encode(_promptOf(request.Task));
        if (prompt.Count == 0)
            throw new ArgumentException($"The prompt of task '{request.Task.Id}' encodes to no tokens.");
        var options = new SamplingOptions
        {
            Temperature = request.Temperature, TopP = request.TopP, Seed = request.Seed, MaxNewTokens = request.MaxCompletionTokens, StopTokenIds = _stopTokenIds,
        };
        var sampled = TokenSampler.GenerateScored(request.Policy, prompt, options, request.GroupSize, cancellationToken: cancellationToken);
        IReadOnlyList<Rollout> rollouts = [.. sampled.Select(s => ToRollout(request.Task, prompt, s))];
        return Task.FromResult(rollouts);
    }

    private Rollout ToRollout(TrajectoryTask task, IReadOnlyList<int> prompt, SampledSequence sequence)
    {
        var generated = sequence.StopToken is { } stop ? [.. sequence.Tokens, stop] : sequence.Tokens;
        var logProbs = sequence.StopToken is not null ? [.. sequence.LogProbs, sequence.StopTokenLogProb] : sequence.LogProbs;
        var text = _tokenizer.Decode(sequence.Tokens);
        return new Rollout
        {
            Task = task,
            TokenIds = [.. prompt, .. generated],
            PolicyMask = [.. prompt.Select(_ => false), .. generated.Select(_ => true)],
            SamplingLogProbs = [.. prompt.Select(_ => 0f), .. logProbs],
            // Empty-handed at the limit: cut off rather than finished.
            Truncated = sequence.StopToken is null,
            CompletionText = text,
            FinalAnswer = _answerOf(text),
        }.Validate();
    }
}
