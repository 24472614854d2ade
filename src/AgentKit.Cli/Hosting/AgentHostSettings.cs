using AgentKit.Core.Definitions;

namespace AgentKit.Cli.Hosting;

/// <summary>What the command line says about the agent to host: its folder and overrides of its definition.</summary>
internal sealed record AgentHostSettings
{
    public required string AgentFolder { get; init; }
    public string? ModelPath { get; init; }
    public string? Endpoint { get; init; }
    public string? ModelName { get; init; }
    public int? Candidates { get; init; }
    public float? Temperature { get; init; }
    public int? Seed { get; init; }
    public int? MaxSteps { get; init; }
    public bool NoGrammar { get; init; }
    public int ContextSize { get; init; } = 2048;
    public int? Threads { get; init; }
    public int TimeoutMs { get; init; } = 5000;
    public int MemoryMb { get; init; } = 512;

    /// <summary>Accept agent.json file fields that lead outside the agent folder (<c>--allow-outside-paths</c>).</summary>
    public bool AllowOutsidePaths { get; init; }

    /// <summary>How the agent folder is loaded.</summary>
    public AgentLoadOptions LoadOptions => new() { AllowPathsOutsideAgentFolder = AllowOutsidePaths };
}
