namespace AgentKit.Core.Definitions;

/// <summary>
/// Where an agent's model comes from: a local GGUF file (<see cref="Path"/>) or an OpenAI-compatible
/// endpoint (<see cref="Endpoint"/> + <see cref="Name"/>). Exactly one of <see cref="Path"/> and
/// <see cref="Endpoint"/> is set.
/// </summary>
public sealed record AgentModelOptions
{
    /// <summary>GGUF file, relative to the agent folder (or absolute); the loader keeps it inside the folder unless told otherwise.</summary>
    public string? Path { get; init; }

    /// <summary>Base URL of an OpenAI-compatible server, e.g. <c>http://127.0.0.1:8080/v1</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Model name to request from <see cref="Endpoint"/>.</summary>
    public string? Name { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> explaining what is wrong.</summary>
    public AgentModelOptions Validate()
    {
        var hasPath = !string.IsNullOrWhiteSpace(Path);
        var hasEndpoint = !string.IsNullOrWhiteSpace(Endpoint);
        if (hasPath == hasEndpoint)
            throw new ArgumentException("model: set exactly one of \"path\" (a GGUF file relative to the agent folder) or \"endpoint\" (an OpenAI-compatible base URL).");
        if (hasEndpoint)
        {
            if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"model.endpoint must be an absolute http(s) URL, got \"{Endpoint}\".");
            if (string.IsNullOrWhiteSpace(Name))
                throw new ArgumentException("model.name is required with model.endpoint (the model name the server serves).");
        }
        return this;
    }

    /// <summary>A one-line description for logs and records.</summary>
    public override string ToString() => Path ?? $"{Name} @ {Endpoint}";
}
