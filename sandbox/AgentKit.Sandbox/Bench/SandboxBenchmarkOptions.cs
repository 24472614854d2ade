namespace AgentKit.Sandbox.Bench;

/// <summary>Settings of <see cref="SandboxBenchmark"/>, validated as they are set.</summary>
public sealed record SandboxBenchmarkOptions
{
    /// <summary>Timed snippets per measurement, after a warm-up.</summary>
    public int Snippets
    {
        get;
        init => field = value is >= 1 and <= 100_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Snippets), value, "The benchmark times between 1 and 100,000 snippets per measurement.");
    } = 200;

    /// <summary>Sandbox workers in the pool, and the parallelism of the throughput measurement.</summary>
    public int Workers
    {
        get;
        init => field = value is >= 1 and <= 256
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Workers), value, "The benchmark uses between 1 and 256 workers.");
    } = Environment.ProcessorCount;
}
