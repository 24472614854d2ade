using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo.Agents;

/// <summary>
/// The token sequence of one agent conversation, built call by call so that every model call's context is an exact
/// extension of the previous one: the previous context, the tokens the policy sampled for it (kept as sampled, never
/// re-tokenised), then the messages the agent added since (the chat template's glue, observations, requests) tokenised
/// on their own. The agent re-renders its own history for each call (its action text is the canonical parse of what was
/// sampled), but the policy is shown this sequence instead, so the log-probs the sampler records are exactly the ones a
/// forward pass over the finished sequence gives. Only sampled tokens are marked as generated.
/// </summary>
public sealed class ConversationTokens
{
    private readonly ITextTokenizer _tokenizer;
    private readonly int? _imEnd;
    private readonly List<int> _ids = [];
    private readonly List<bool> _mask = [];
    private readonly List<float> _logProbs = [];
    private IReadOnlyList<(string Role, string Content)>? _messages;
    private bool _lastEndedWithImEnd;

    /// <summary>Creates an empty conversation over <paramref name="tokenizer"/> (ChatML, <see cref="ChatFormat"/>).</summary>
    public ConversationTokens(ITextTokenizer tokenizer)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _imEnd = tokenizer.SpecialTokenId(ChatFormat.ImEnd);
    }

    /// <summary>Every token so far.</summary>
    public IReadOnlyList<int> TokenIds => _ids;

    /// <summary>Per token: sampled by the policy.</summary>
    public IReadOnlyList<bool> PolicyMask => _mask;

    /// <summary>Per token: the sampling log-prob (0 where not sampled).</summary>
    public IReadOnlyList<float> SamplingLogProbs => _logProbs;

    /// <summary>Model calls answered so far.</summary>
    public int Calls { get; private set; }

    /// <summary>
    /// Appends what the next call's <paramref name="messages"/> add to the conversation (not generated) and returns the
    /// whole context the policy must continue. The first call renders every message; a later one must repeat the previous
    /// call's messages, then one assistant message (the agent's text of what was sampled, which the sampled tokens stand
    /// for), then at least one more message.
    /// </summary>
    /// <exception cref="InvalidOperationException">The messages do not continue the conversation so far.</exception>
    public IReadOnlyList<int> BeginCall(IReadOnlyList<(string Role, string Content)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0 || messages[^1].Role == "assistant")
            throw new InvalidOperationException("A model call needs messages that end with a non-assistant turn (continuing an assistant message is not supported).");
        string added;
        if (_messages is null)
        {
            added = ChatFormat.Render(messages, addGenerationPrompt: true);
        }
        else
        {
            var previous = _messages;
            var extends = messages.Count >= previous.Count + 2
                && previous.Select((m, i) => m == messages[i]).All(same => same)
                && messages[previous.Count].Role == "assistant";
            if (!extends)
                throw new InvalidOperationException(
                    $"Model call {Calls + 1} of the agent run does not continue the conversation: its messages are not the previous call's, the reply, and new turns.");
            // The sampled tokens stand for the assistant turn; close it (unless the policy did) and add the new turns.
            var glue = _lastEndedWithImEnd ? "\n" : ChatFormat.Footer;
            added = glue + ChatFormat.Render(messages.Skip(previous.Count + 1), addGenerationPrompt: true);
        }
        Append(_tokenizer.Encode(added), generated: false, logProbs: null);
        _messages = [.. messages];
        return _ids;
    }

    /// <summary>Appends the tokens the policy sampled for the current call, the stop token included when one ended it.</summary>
    public void EndCall(IReadOnlyList<int> sampled, IReadOnlyList<float> logProbs)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        ArgumentNullException.ThrowIfNull(logProbs);
        if (_messages is null)
            throw new InvalidOperationException("EndCall before BeginCall.");
        if (sampled.Count != logProbs.Count)
            throw new ArgumentException($"{sampled.Count} sampled tokens but {logProbs.Count} log-probs.");
        Append(sampled, generated: true, logProbs);
        _lastEndedWithImEnd = sampled.Count > 0 && sampled[^1] == _imEnd;
        Calls++;
    }

    /// <summary>
    /// Drops the context tokens added after the last sampled token (a call that was begun but never sampled, as when the
    /// conversation no longer fits the policy): they train nothing and would only lengthen the sequence past the context.
    /// </summary>
    public void DropUnansweredCall()
    {
        var keep = _mask.LastIndexOf(true) + 1;
        _ids.RemoveRange(keep, _ids.Count - keep);
        _mask.RemoveRange(keep, _mask.Count - keep);
        _logProbs.RemoveRange(keep, _logProbs.Count - keep);
    }

    private void Append(IReadOnlyList<int> ids, bool generated, IReadOnlyList<float>? logProbs)
    {
        _ids.AddRange(ids);
        _mask.AddRange(ids.Select(_ => generated));
        _logProbs.AddRange(logProbs ?? ids.Select(_ => 0f));
    }
}
