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
}
