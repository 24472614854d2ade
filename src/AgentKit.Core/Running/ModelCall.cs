using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Definitions;
using Microsoft.Extensions.AI;

namespace AgentKit.Core.Running;

/// <summary>Builds candidate requests from recorded prompts and the agent's sampling settings.</summary>
internal sealed class ModelCall(ICandidateGenerator generator, AgentSamplingOptions sampling)
{
    private int _requests;

    public ICandidateGenerator Generator => generator;

    /// <summary>Samples <paramref name="n"/> candidates; every request of a run gets its own derived seed.</summary>
    public async Task<CandidateResult> SampleAsync(IReadOnlyList<PromptMessage> prompt, int n, string? grammar, IReadOnlyList<string> stop, CancellationToken cancellationToken)
    {
        var request = new CandidateRequest
        {
            Messages = prompt.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)).ToList(),
            N = n,
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            Seed = sampling.Seed is { } seed ? unchecked(seed + _requests) : null,
            MaxTokens = sampling.MaxTokensPerStep,
            Stop = stop,
            Grammar = grammar,
        }.Validate();
        _requests++;
        var result = await generator.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Candidates.Count == 0)
            throw new InvalidOperationException($"The model backend ({generator.Model.Name}) returned no candidates.");
        return result;
    }

    public static ModelUsage Usage(CandidateResult result) =>
        new(result.Elapsed.TotalMilliseconds, result.PromptTokens, result.Candidates.Sum(c => c.Tokens));
}
