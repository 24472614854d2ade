namespace AgentKit.Sandbox;

/// <summary>
/// Settings of a <see cref="CodeSandbox"/>. Each value is checked when set, with a message saying what is allowed.
/// </summary>
public sealed record SandboxOptions
{
    /// <summary>Wall-clock limit per snippet, including compilation and tool calls (default 5 s). A snippet past it has its worker killed.</summary>
    public TimeSpan Timeout
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "The snippet timeout must be positive and at most one hour.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>Managed heap limit of each worker process in MiB (default 512); the worker's compiler shares it, so at least 128.</summary>
    public int MemoryLimitMb
    {
        get;
        init => field = value is >= 128 and <= 1_048_576
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MemoryLimitMb), value, "The memory limit must be between 128 MiB (the compiler needs about 100) and 1 TiB.");
    } = 512;

    /// <summary>Characters of printed output kept per snippet (default 20,000); the rest is dropped and the status says so.</summary>
    public int MaxOutputChars
    {
        get;
        init => field = value is > 0 and <= 10_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxOutputChars), value, "The output cap must be between 1 and 10,000,000 characters.");
    } = 20_000;

    /// <summary>Number of pre-warmed worker processes, i.e. snippets run in parallel (default: one per core).</summary>
    public int PoolSize
    {
        get;
        init => field = value is > 0 and <= 256
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PoolSize), value, "The pool size must be between 1 and 256 workers.");
    } = Environment.ProcessorCount;

    /// <summary>Default match timeout of every <c>Regex</c> a snippet creates (default 1 s), against catastrophic backtracking.</summary>
    public TimeSpan RegexMatchTimeout
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RegexMatchTimeout), value, "The regex match timeout must be positive and at most ten minutes.");
    } = TimeSpan.FromSeconds(1);

    /// <summary>How long a new worker may take to start and compile its warm-up snippet (default 60 s).</summary>
    public TimeSpan WorkerStartTimeout
    {
        get;
        init => field = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(WorkerStartTimeout), value, "The worker start timeout must be positive.");
    } = TimeSpan.FromSeconds(60);

    /// <summary>Network namespace policy for workers (default <see cref="Sandbox.NetworkIsolation.Auto"/>).</summary>
    public NetworkIsolation NetworkIsolation
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(NetworkIsolation), value, "Unknown network isolation mode.");
    } = NetworkIsolation.Auto;

    /// <summary>
    /// Path of <c>AgentKit.Sandbox.Worker.dll</c>; null (default) looks in <c>sandbox-worker/</c> next to this assembly,
    /// where the build puts it for every project that references AgentKit.Sandbox.
    /// </summary>
    public string? WorkerPath { get; init; }

    /// <summary>Clock for timeouts and elapsed times (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    } = TimeProvider.System;
}
