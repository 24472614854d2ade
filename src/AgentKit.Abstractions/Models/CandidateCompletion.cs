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
public sealed record CandidateCompletion(string Text, int Tokens, string FinishReason);

/// <summary>The candidates of one request and what they cost.</summary>
/// <param name="Candidates">The candidates, in sampling order.</param>
/// <param name="PromptTokens">Tokens in the prompt (evaluated once, shared by all candidates where the backend allows).</param>
/// <param name="Elapsed">Wall time of the whole request.</param>
public sealed record CandidateResult(IReadOnlyList<CandidateCompletion> Candidates, int PromptTokens, TimeSpan Elapsed)
{
    /// <summary>Generated tokens over all candidates per second of wall time.</summary>
    public double TokensPerSecond =>
        Elapsed.TotalSeconds > 0 ? Candidates.Sum(c => c.Tokens) / Elapsed.TotalSeconds : 0;
}
