namespace AgentKit.Sandbox;

/// <summary>
/// Settings of a <see cref="CodeSandbox"/>. Each value is checked when set, with a message saying what is allowed.
/// </summary>
public sealed record SandboxOptions
{
    /// <summary>Wall-clock limit per snippet, including its compilation (in the host) and tool calls (default 5 s). A snippet past it has its worker killed.</summary>
    public TimeSpan Timeout
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "The snippet timeout must be positive and at most one hour.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>Managed heap limit of each worker process in MiB (default 512, at least 128).</summary>
    public int MemoryLimitMb
    {
        get;
        init => field = value is >= 128 and <= 1_048_576
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MemoryLimitMb), value, "The memory limit must be between 128 MiB and 1 TiB.");
    } = 512;

    /// <summary>Characters of printed output kept per snippet (default 20,000); the rest is dropped and the status says so.</summary>
    public int MaxOutputChars
    {
        get;
        init => field = value is > 0 and <= 10_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxOutputChars), value, "The output cap must be between 1 and 10,000,000 characters.");
    } = 20_000;

    /// <summary>
    /// Fresh worker processes kept warm (default: one per core), and the most workers one run uses in parallel for
    /// candidates. A worker serves one run and is replaced after it.
    /// </summary>
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

    /// <summary>
    /// JSON characters of arguments one tool call may carry (default 100,000): agent code gets an error past it, and the
    /// host refuses larger calls whatever the worker says.
    /// </summary>
    public int MaxToolArgumentChars
    {
        get;
        init => field = value is > 0 and <= 100_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxToolArgumentChars), value, "The tool argument cap must be between 1 and 100,000,000 characters.");
    } = 100_000;

    /// <summary>OS confinement of workers (default <see cref="Sandbox.OsConfinement.Auto"/>); see sandbox/README.md for what it holds.</summary>
    public OsConfinement OsConfinement
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(OsConfinement), value, "Unknown OS confinement mode.");
    } = OsConfinement.Auto;

    /// <summary>The unprivileged user id confined workers run as when the host is root (default 65534, nobody).</summary>
    public int WorkerUserId
    {
        get;
        init => field = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(WorkerUserId), value, "Workers must not run as root (uid 0): give a positive user id.");
    } = 65534;

    /// <summary>The group id confined workers run as when the host is root (default 65534, nogroup).</summary>
    public int WorkerGroupId
    {
        get;
        init => field = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(WorkerGroupId), value, "Workers must not run in group 0: give a positive group id.");
    } = 65534;

    /// <summary>
    /// RLIMIT_NPROC of confined workers (default 1,024): processes and threads of the worker user, counted across all
    /// its processes; a fork bomb stops here. A .NET worker uses about 20 threads.
    /// </summary>
    public int MaxWorkerProcesses
    {
        get;
        init => field = value is >= 64 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxWorkerProcesses), value, "The process limit must be between 64 (the runtime's own threads) and 1,000,000.");
    } = 1_024;

    /// <summary>Size of a confined worker's private scratch folder and its largest file (RLIMIT_FSIZE), in bytes (default 64 MiB).</summary>
    public long MaxScratchBytes
    {
        get;
        init => field = value is >= 1_048_576 and <= 1L << 40
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxScratchBytes), value, "The scratch size must be between 1 MiB and 1 TiB.");
    } = 64L * 1024 * 1024;

    /// <summary>Network namespace policy for workers that are not confined (default <see cref="Sandbox.NetworkIsolation.Auto"/>); confined workers always have one.</summary>
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
