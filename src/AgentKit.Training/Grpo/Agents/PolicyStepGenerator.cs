using AgentKit.Abstractions.Models;
using AgentKit.Training.Generation;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo.Agents;

/// <summary>
/// The policy as one agent run's candidate generator: each request is answered by sampling one continuation of the
/// conversation's token context (<see cref="ConversationTokens"/>), which records what was sampled. The run's sampling
/// settings come from the GRPO request, not the agent's definition: the loss divides logits by the trainer's
/// temperature, so sampling must too. Calls are serialised on <paramref name="modelGate"/>, shared by the runs of a
/// group, so runs proceed in parallel in the sandbox but never sample on the model at the same time.
/// </summary>
internal sealed class PolicyStepGenerator(
    LlamaForCausalLM policy, ITextTokenizer tokenizer, SemaphoreSlim modelGate, ModelIdentity identity,
    IReadOnlyList<int> stopTokenIds, float temperature, float topP, int maxTokensPerStep, long seed, TimeProvider time) : ICandidateGenerator
{
    /// <summary>The conversation as the policy saw and wrote it.</summary>
    public ConversationTokens Conversation { get; } = new(tokenizer);

    /// <summary>Calls cut at the token limit.</summary>
    public int TruncatedCalls { get; private set; }

    /// <summary>The decoded text of each call's sampled tokens (stop token excluded), in order.</summary>
    public List<string> Texts { get; } = [];

    /// <inheritdoc />
    public ModelIdentity Model => identity;

    /// <inheritdoc />
    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        request.Validate();
        if (request.N != 1)
            throw new NotSupportedException($"An agent rollout samples one candidate per step (the group's rollouts are separate runs); the request asked for {request.N}.");
        if (request.Grammar is not null)
            throw new NotSupportedException("Grammar-constrained sampling is not supported by the TorchSharp policy; turn the agent's grammar off for GRPO.");
        if (request.Messages is null)
            throw new NotSupportedException("Agent rollouts take chat messages, not a raw prompt.");
        var context = Conversation.BeginCall([.. request.Messages.Select(m => (m.Role.Value, m.Text))]);
        var room = policy.Config.MaxPositionEmbeddings - context.Count;
        if (room < 1)
            throw new ContextFullException(context.Count, policy.Config.MaxPositionEmbeddings);
        var options = new SamplingOptions
        {
            Temperature = temperature, TopP = topP, MaxNewTokens = Math.Min(maxTokensPerStep, room), StopTokenIds = stopTokenIds,
            // Each call has its own seed from the run's: the order in which parallel runs reach the model does not matter.
            Seed = Seeds.Mix(seed, Conversation.Calls, 0xA6E),
        };
        var started = time.GetTimestamp();
        var promptTokens = context.Count;
        SampledSequence sampled;
        await modelGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stops = request.Stop;
            sampled = TokenSampler.GenerateScored(policy, [.. context], options, 1,
                (_, tokens) => stops.Count > 0 && stops.Any(s => tokenizer.Decode(tokens).Contains(s, StringComparison.Ordinal)), cancellationToken)[0];
        }
        finally
        {
            modelGate.Release();
        }
        int[] ids = sampled.StopToken is { } stop ? [.. sampled.Tokens, stop] : sampled.Tokens;
        float[] logProbs = sampled.StopToken is not null ? [.. sampled.LogProbs, sampled.StopTokenLogProb] : sampled.LogProbs;
        Conversation.EndCall(ids, logProbs);

        var decoded = tokenizer.Decode(sampled.Tokens);
        var stopAt = request.Stop.Select(s => decoded.IndexOf(s, StringComparison.Ordinal)).Where(at => at >= 0).DefaultIfEmpty(-1).Min();
        var finished = sampled.StopToken is not null || stopAt >= 0;
        if (!finished)
            TruncatedCalls++;
        Texts.Add(decoded);
        var completion = new CandidateCompletion(stopAt >= 0 ? decoded[..stopAt] : decoded, ids.Length, finished ? FinishReasons.Stop : FinishReasons.Length);
        return new CandidateResult([completion], promptTokens, time.GetElapsedTime(started));
    }
}

/// <summary>The conversation has grown to the policy's context length: the run cannot take another step.</summary>
internal sealed class ContextFullException(int tokens, int context)
    : Exception($"The agent conversation holds {tokens} tokens, which leaves no room in the policy's context of {context}.");
