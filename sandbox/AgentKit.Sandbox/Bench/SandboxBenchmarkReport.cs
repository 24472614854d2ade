namespace AgentKit.Sandbox.Bench;

/// <summary>Round-trip latency of one snippet in one mode, sandbox against the peer.</summary>
/// <param name="Snippet">The snippet and the mode, e.g. <c>trivial, step in a run</c>.</param>
/// <param name="SandboxP50Ms">Median round trip through the sandbox.</param>
/// <param name="SandboxP95Ms">95th percentile through the sandbox.</param>
/// <param name="InProcessP50Ms">Median of the in-process peer on the same snippet.</param>
/// <param name="InProcessP95Ms">95th percentile of the peer.</param>
/// <param name="RatioP50">Sandbox median over peer median.</param>
public sealed record SandboxLatencyRow(string Snippet, double SandboxP50Ms, double SandboxP95Ms, double InProcessP50Ms, double InProcessP95Ms, double RatioP50);

/// <summary>Snippets per second with <paramref name="Parallelism"/> one-shot runs at a time.</summary>
/// <param name="Snippet">The snippet.</param>
/// <param name="Parallelism">Runs in flight at once.</param>
/// <param name="SandboxPerSecond">One-shot sandbox runs per second (a fresh worker each).</param>
/// <param name="InProcessPerSecond">Peer runs per second.</param>
/// <param name="Ratio">Sandbox rate over peer rate.</param>
public sealed record SandboxThroughputRow(string Snippet, int Parallelism, double SandboxPerSecond, double InProcessPerSecond, double Ratio);

/// <summary>What <see cref="SandboxBenchmark.RunAsync"/> measured.</summary>
/// <param name="Snippets">Timed snippets per measurement.</param>
/// <param name="Workers">Pool size and throughput parallelism.</param>
/// <param name="NetworkIsolated">Whether workers ran without a network.</param>
/// <param name="Confinement">The OS confinement in force (<see cref="CodeSandbox.Confinement"/>).</param>
/// <param name="PoolStartMs">Time to start the pool and warm every worker.</param>
/// <param name="SameResults">True when the sandbox and the peer gave every snippet the same value.</param>
/// <param name="Latency">Round trips per snippet and mode.</param>
/// <param name="Throughput">Parallel one-shot rates per snippet.</param>
public sealed record SandboxBenchmarkReport(
    int Snippets, int Workers, bool NetworkIsolated, string Confinement, double PoolStartMs, bool SameResults,
    IReadOnlyList<SandboxLatencyRow> Latency, IReadOnlyList<SandboxThroughputRow> Throughput);
