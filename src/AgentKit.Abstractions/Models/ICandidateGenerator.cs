namespace AgentKit.Abstractions.Models;

/// <summary>
/// What agents need beyond <see cref="Microsoft.Extensions.AI.IChatClient"/>: N candidate
/// completions of one prompt in one call, optionally grammar-constrained, so backends can share
/// the prompt evaluation between candidates.
/// </summary>
public interface ICandidateGenerator
{
    /// <summary>Identity of the model behind this generator (recorded in trajectories).</summary>
    ModelIdentity Model { get; }

    /// <summary>Samples <see cref="CandidateRequest.N"/> candidates for the request.</summary>
    Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Names a model: where it came from and what it is.</summary>
/// <param name="Name">Short name (file name or served model name).</param>
/// <param name="Source">Path of the GGUF file or URL of the endpoint.</param>
/// <param name="Sha256">Content hash of a local model file, when known.</param>
public sealed record ModelIdentity(string Name, string Source, string? Sha256 = null);
