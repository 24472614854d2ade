using Microsoft.Extensions.AI;

namespace AgentKit.Abstractions.Models;

/// <summary>
/// A request for <see cref="N"/> candidate completions of one prompt. Exactly one of
/// <see cref="Prompt"/> (raw text, no chat template) or <see cref="Messages"/> (rendered with the
/// model's chat template) must be set. Validated at construction by <see cref="Validate"/>.
/// </summary>
public sealed record CandidateRequest
{
    /// <summary>Raw prompt text, fed to the model as is. Mutually exclusive with <see cref="Messages"/>.</summary>
    public string? Prompt { get; init; }

    /// <summary>Chat messages, rendered with the model's chat template. Mutually exclusive with <see cref="Prompt"/>.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>Number of candidates to sample (default 1). Must be between 1 and 64.</summary>
    public int N { get; init; } = 1;

    /// <summary>Sampling temperature (default 0.7). 0 means greedy decoding.</summary>
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Nucleus sampling threshold in (0, 1] (default 0.95).</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Seed for reproducible sampling; null picks one at random.</summary>
    public int? Seed { get; init; }

    /// <summary>Maximum tokens generated per candidate (default 256).</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Generation of a candidate stops when its text ends with any of these strings (not included in the output).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Optional GBNF grammar (llama.cpp syntax, start rule <c>root</c>) that every candidate must follow.</summary>
    public string? Grammar { get; init; }

    /// <summary>
    /// Null (default) reports no log probabilities. 0 to 20 reports each generated token's log probability and
    /// that many most likely alternatives at its position (<see cref="CandidateCompletion.Logprobs"/>); backends
    /// that cannot report them throw <see cref="NotSupportedException"/>.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> with an explanation when the request is inconsistent.</summary>
    public CandidateRequest Validate()
    {
        if ((Prompt is null) == (Messages is null))
            throw new ArgumentException("Set exactly one of Prompt or Messages.");
        if (Messages is { Count: 0 })
            throw new ArgumentException("Messages must not be empty.");
        if (N is < 1 or > 64)
            throw new ArgumentException($"N must be between 1 and 64, got {N}.");
        if (Temperature < 0 || float.IsNaN(Temperature))
            throw new ArgumentException($"Temperature must be >= 0, got {Temperature}.");
        if (TopP is <= 0 or > 1 || float.IsNaN(TopP))
            throw new ArgumentException($"TopP must be in (0, 1], got {TopP}.");
        if (MaxTokens < 1)
            throw new ArgumentException($"MaxTokens must be >= 1, got {MaxTokens}.");
        if (TopLogprobs is < 0 or > 20)
            throw new ArgumentException($"TopLogprobs must be between 0 and 20 (or null for none), got {TopLogprobs}.");
        if (Stop.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Stop sequences must not be empty strings.");
        return this;
    }
}
