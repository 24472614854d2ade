using System.Text;
using AgentKit.Abstractions.Models;
using LLama;
using LLama.Batched;
using LLama.Sampling;

namespace AgentKit.Models.LlamaSharp;

/// <summary>One candidate in flight: its forked conversation, its own sampler and seed, and its text so far.</summary>
internal sealed class CandidateState(int index, Conversation conversation, DefaultSamplingPipeline sampler, LLamaWeights weights, IReadOnlyList<string> stops)
    : IDisposable
{
    private readonly StreamingTokenDecoder _decoder = new(Encoding.UTF8, weights) { DecodeSpecialTokens = false };
    private readonly StopSequenceMatcher _matcher = new(stops);

    public int Index { get; } = index;
    public Conversation Conversation { get; } = conversation;
    public DefaultSamplingPipeline Sampler { get; } = sampler;
    public int Tokens { get; private set; }
    public string? FinishReason { get; private set; }
    public bool IsActive => FinishReason is null;

    /// <summary>Every accepted token's log probability, when the request asked for them.</summary>
    public List<TokenLogprob>? Logprobs { get; init; }

    private int _logprobsSent;

    /// <summary>Adds a generated token; returns the text that became safe to show.</summary>
    public string Accept(LLama.Native.LLamaToken token, TokenLogprob? logprob = null)
    {
        Tokens++;
        if (logprob is not null)
            Logprobs?.Add(logprob);
        _decoder.Add(token);
        var delta = _matcher.Append(_decoder.Read());
        if (_matcher.Stopped)
            Finish(FinishReasons.Stop);
        return delta;
    }

    /// <summary>Ends the candidate; returns any held-back text that should still be shown.</summary>
    public string Finish(string reason)
    {
        FinishReason ??= reason;
        var rest = _matcher.Stopped ? "" : _matcher.Append(_decoder.Read()) + _matcher.Flush();
        if (_matcher.Stopped)
            FinishReason = FinishReasons.Stop;
        Conversation.Dispose(); // frees this candidate's KV cells for the others
        return rest;
    }

    /// <summary>Log probabilities of the tokens accepted since the last call (null when none were requested).</summary>
    public IReadOnlyList<TokenLogprob>? TakeNewLogprobs()
    {
        if (Logprobs is null)
            return null;
        var fresh = Logprobs.GetRange(_logprobsSent, Logprobs.Count - _logprobsSent);
        _logprobsSent = Logprobs.Count;
        return fresh;
    }

    public CandidateCompletion ToCompletion() => new(_matcher.Text, Tokens, FinishReason ?? FinishReasons.Length) { Logprobs = Logprobs };

    public void Dispose()
    {
        Conversation.Dispose();
        Sampler.Dispose();
    }
}
