namespace AgentKit.Abstractions.Models;

/// <summary>Why a candidate stopped.</summary>
public static class FinishReasons
{
    /// <summary>The model produced an end-of-generation token or the grammar completed.</summary>
    public const string Stop = "stop";

    /// <summary>The candidate hit <see cref="CandidateRequest.MaxTokens"/>.</summary>
    public const string Length = "length";
}

/// <summary>One sampled candidate.</summary>
/// <param name="Text">The generated text, without the prompt and without a matched stop sequence.</param>
/// <param name="Tokens">Number of tokens generated.</param>
/// <param name="FinishReason">One of <see cref="FinishReasons"/>.</param>
public sealed record CandidateCompletion(string Text, int Tokens, string FinishReason)
{
    /// <summary>One entry per generated token when <see cref="CandidateRequest.TopLogprobs"/> was set; otherwise null.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
}

/// <summary>A token with its log probability under the model (the softmax of the raw logits, before sampling settings).</summary>
/// <param name="Token">The token's text (may be part of a multi-byte character; see <paramref name="Bytes"/>).</param>
/// <param name="Bytes">The token's UTF-8 bytes.</param>
/// <param name="Logprob">Natural log of the token's probability.</param>
/// <param name="TopLogprobs">The most likely tokens at this position, most likely first; empty for an alternative itself.</param>
public sealed record TokenLogprob(string Token, IReadOnlyList<byte> Bytes, double Logprob, IReadOnlyList<TokenLogprob> TopLogprobs);

/// <summary>The candidates of one request and what they cost.</summary>
/// <param name="Candidates">The candidates, in sampling order.</param>
/// <param name="PromptTokens">Tokens in the prompt (evaluated once, shared by all candidates where the backend allows).</param>
/// <param name="Elapsed">Wall time of the whole request.</param>
public sealed record CandidateResult(IReadOnlyList<CandidateCompletion> Candidates, int PromptTokens, TimeSpan Elapsed)
{
    /// <summary>Generated tokens over all candidates per second of wall time.</summary>
    public double TokensPerSecond =>
        Elapsed.TotalSeconds > 0 ? Candidates.Sum(c => c.Tokens) / Elapsed.TotalSeconds : 0;

    /// <summary>Set by a cascade: which model produced <see cref="Candidates"/> and why; null for a single model.</summary>
    public CascadeRouting? Routing { get; init; }
}
