namespace AgentKit.Abstractions.Models;

/// <summary>A candidate generator that can report text as it is produced (for SSE streaming and live display).</summary>
public interface IStreamingCandidateGenerator : ICandidateGenerator
{
    /// <summary>
    /// Streams the candidates of <paramref name="request"/> as deltas. Deltas of different candidates may
    /// interleave; the last delta of each candidate carries its <see cref="CandidateDelta.FinishReason"/>.
    /// </summary>
    IAsyncEnumerable<CandidateDelta> StreamAsync(CandidateRequest request, CancellationToken cancellationToken = default);
}

/// <summary>New text of one candidate.</summary>
/// <param name="Index">Candidate index, 0 to N-1.</param>
/// <param name="Text">Text produced since the previous delta of this candidate (may be empty on the final delta).</param>
/// <param name="FinishReason">Null until the candidate is finished; then one of <see cref="FinishReasons"/>.</param>
public sealed record CandidateDelta(int Index, string Text, string? FinishReason = null)
{
    /// <summary>Log probabilities of the tokens sampled since the previous delta of this candidate, when requested.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    /// <summary>On a candidate's final delta, where the backend knows it: tokens the candidate generated in all.</summary>
    public int? Tokens { get; init; }

    /// <summary>On a candidate's final delta, where the backend knows it: tokens in the prompt.</summary>
    public int? PromptTokens { get; init; }
}
