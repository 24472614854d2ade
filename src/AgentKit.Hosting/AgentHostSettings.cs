using AgentKit.Core.Definitions;
using AgentKit.Models.OpenAICompatible;

namespace AgentKit.Hosting;

/// <summary>
/// The agent to host: its folder and overrides of its definition (null keeps the definition's value).
/// Checked by <see cref="Validate"/>, which <see cref="AgentHost.OpenAsync"/> calls.
/// </summary>
public sealed record AgentHostSettings
{
    /// <summary>The agent folder holding <c>agent.json</c>.</summary>
    public required string AgentFolder { get; init; }

    /// <summary>A GGUF model file instead of the definition's model.</summary>
    public string? ModelPath { get; init; }

    /// <summary>An OpenAI-compatible endpoint instead of the definition's model (needs <see cref="ModelName"/>).</summary>
    public string? Endpoint { get; init; }

    /// <summary>The model name to request from <see cref="Endpoint"/>.</summary>
    public string? ModelName { get; init; }

    /// <summary>Retries and rate limit of requests to <see cref="Endpoint"/> (default: none).</summary>
    public EndpointRetryOptions EndpointRetry { get; init; } = EndpointRetryOptions.None;

    /// <summary>Candidate actions per step (1-64).</summary>
    public int? Candidates { get; init; }

    /// <summary>Sampling temperature (≥ 0).</summary>
    public float? Temperature { get; init; }

    /// <summary>Sampling seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Action step limit (1-100).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Do not constrain actions with the action grammar (for endpoints without GBNF support).</summary>
    public bool NoGrammar { get; init; }

    /// <summary>Context window in tokens of a local model (default 2048).</summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>CPU threads of a local model (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Layers of a local GGUF model offloaded to a GPU (default 0, -1 for all); needs the CUDA build.</summary>
    public int GpuLayerCount { get; init; }

    /// <summary>Wall-clock limit per code snippet in milliseconds (default 5000).</summary>
    public int TimeoutMs { get; init; } = 5000;

    /// <summary>Memory limit per sandbox worker in MiB (default 512; at least 128).</summary>
    public int MemoryMb { get; init; } = 512;

    /// <summary>
    /// Open the agent's model (default true). False opens only the tools and the sandbox, for callers that bring their own
    /// generator (GRPO's TorchSharp policy): the agent folder needs no model file, and <see cref="AgentHost.Generator"/> and
    /// <see cref="AgentHost.CreateAgent"/> throw <see cref="InvalidOperationException"/>. Excludes <see cref="ModelPath"/> and <see cref="Endpoint"/>.
    /// </summary>
    public bool OpenModel { get; init; } = true;

    /// <summary>A teacher endpoint the agent's model defers uncertain requests to (a cascade); null for none.</summary>
    public CascadeSettings? Cascade { get; init; }

    /// <summary>Accept agent.json file fields that lead outside the agent folder.</summary>
    public bool AllowOutsidePaths { get; init; }

    /// <summary>How the agent folder is loaded.</summary>
    public AgentLoadOptions LoadOptions => new() { AllowPathsOutsideAgentFolder = AllowOutsidePaths };

    /// <summary>
    /// These settings with a teacher model served at an OpenAI-compatible <paramref name="endpoint"/> in place of the
    /// agent's own model (what <c>agentkit record --teacher-endpoint</c> records with), validated.
    /// </summary>
    /// <exception cref="ArgumentException">A model file or endpoint is already set, or <paramref name="endpoint"/> is not an absolute URL.</exception>
    public AgentHostSettings WithTeacher(string endpoint, string model)
    {
        if (ModelPath is not null || Endpoint is not null)
            throw new ArgumentException("a teacher endpoint replaces the agent's model: give it or a model file or endpoint, not both.");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new ArgumentException($"the teacher endpoint must be an absolute URL, got '{endpoint}'.");
        return (this with { Endpoint = endpoint, ModelName = model }).Validate();
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent setting; returns this otherwise.</summary>
    public AgentHostSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(AgentFolder))
            throw new ArgumentException("AgentFolder must name the agent folder.");
        if (ModelPath is not null && Endpoint is not null)
            throw new ArgumentException("give either a model file or an endpoint, not both.");
        if (Endpoint is not null && (string.IsNullOrWhiteSpace(ModelName) || !Uri.TryCreate(Endpoint, UriKind.Absolute, out _)))
            throw new ArgumentException($"an endpoint must be an absolute URL with a model name, got '{Endpoint}' and '{ModelName}'.");
        if (ModelName is not null && Endpoint is null)
            throw new ArgumentException("a model name only applies with an endpoint.");
        if (!OpenModel && (ModelPath is not null || Endpoint is not null))
            throw new ArgumentException("a model file or endpoint has no use when the host opens no model (OpenModel is false).");
        ArgumentNullException.ThrowIfNull(EndpointRetry);
        EndpointRetry.Validate();
        if (Cascade is { } cascade)
        {
            if (!OpenModel)
                throw new ArgumentException("a cascade needs the agent's own model as its student (OpenModel is false).");
            if (!Uri.TryCreate(cascade.Endpoint, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(cascade.Model))
                throw new ArgumentException($"the cascade endpoint must be an absolute URL with a model name, got '{cascade.Endpoint}' and '{cascade.Model}'.");
            ArgumentNullException.ThrowIfNull(cascade.Options);
        }
        if (Candidates is < 1 or > 64)
            throw new ArgumentException($"candidates must be between 1 and 64, got {Candidates}.");
        if (Temperature is { } t && (t < 0 || float.IsNaN(t)))
            throw new ArgumentException($"temperature must be >= 0, got {t}.");
        if (MaxSteps is < 1 or > 100)
            throw new ArgumentException($"max steps must be between 1 and 100, got {MaxSteps}.");
        if (ContextSize < 1)
            throw new ArgumentException($"context size must be positive, got {ContextSize}.");
        if (GpuLayerCount < -1)
            throw new ArgumentException($"gpu layers must be >= 0, or -1 for all, got {GpuLayerCount}.");
        if (TimeoutMs < 1)
            throw new ArgumentException($"the snippet time limit must be positive, got {TimeoutMs} ms.");
        if (MemoryMb < 128)
            throw new ArgumentException($"the worker memory limit must be at least 128 MiB (the sandbox's compiler needs about 100), got {MemoryMb}.");
        return this;
    }
}
