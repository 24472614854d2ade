using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentKit.Sandbox;

/// <summary>
/// Runs untrusted C# snippets out of process. This process compiles each snippet with Roslyn and refuses it if it
/// names anything outside the allow-list; a fresh worker process, confined by the operating system where the machine
/// allows it, loads and runs the checked image under a wall-clock limit, a heap limit and output caps, and is killed
/// when its run ends. See sandbox/README.md for what each layer does and does not protect against.
/// </summary>
/// <example>
/// <code>
/// await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { Timeout = TimeSpan.FromSeconds(2) });
/// await using var session = await sandbox.OpenSessionAsync([searchTool]);
/// var result = await session.ExecuteAsync("var hits = Search(\"capital of Peru\"); hits.Length");
/// </code>
/// </example>
public sealed class CodeSandbox : ICodeSandbox, IAsyncDisposable
{
    private readonly WorkerPool _pool;
    private readonly SnippetExecutor _executor;

    private CodeSandbox(SandboxOptions options, WorkerPool pool)
    {
        Options = options;
        _pool = pool;
        _executor = new SnippetExecutor(pool, options);
    }

    /// <summary>The settings this sandbox runs with.</summary>
    public SandboxOptions Options { get; }

    /// <summary>True when workers run in their own network namespace; false when only the policy keeps code off the network.</summary>
    public bool NetworkIsolated => _pool.Launch.NetworkIsolated;

    /// <summary>True when workers run under OS confinement (<see cref="SandboxOptions.OsConfinement"/>).</summary>
    public bool OsConfined => _pool.Launch.Confined;

    /// <summary>A one-line account of the confinement in force (for logs and reports).</summary>
    public string Confinement => _pool.Launch.Description;

    /// <summary>How workers are started (tests start other programs under the same confinement).</summary>
    internal WorkerLaunch Launch => _pool.Launch;

    /// <summary>Starts <see cref="SandboxOptions.PoolSize"/> workers and returns once all of them are warm.</summary>
    /// <exception cref="InvalidOperationException">The worker cannot be found or started, or confinement or network isolation is required but unavailable.</exception>
    public static async Task<CodeSandbox> StartAsync(SandboxOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CodeSandbox>();
        return await StartAsync(options, WorkerLaunch.Create(options, logger), logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a sandbox whose workers start as <paramref name="launch"/> says (tests substitute the worker program).</summary>
    internal static async Task<CodeSandbox> StartAsync(SandboxOptions options, WorkerLaunch launch, ILogger logger, CancellationToken cancellationToken)
    {
        var pool = await WorkerPool.StartAsync(options, launch, logger, cancellationToken).ConfigureAwait(false);
        return new CodeSandbox(options, pool);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A tool name is not a C# identifier, is duplicated, or its declarations do not compile.</exception>
    public async Task<ICodeSession> OpenSessionAsync(IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return await CodeSession.OpenAsync(_executor, tools, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one snippet in a throwaway state (no tools, nothing kept), in a fresh worker that is killed afterwards.</summary>
    public async Task<ExecutionResult> RunAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var started = _executor.Now();
        var (compiled, refused) = _executor.Compile(code, null, started, cancellationToken);
        if (refused is not null) return refused;
        var spent = Options.TimeProvider.GetElapsedTime(started);
        var worker = await _pool.TakeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _executor.RunAsync(worker, 0, ImageRef.OneShot(compiled!.Image), null, spent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pool.Retire(worker, "its run ended");
        }
    }

    /// <summary>
    /// Waits until the pool again holds <see cref="SandboxOptions.PoolSize"/> warm workers that never ran code. Each run
    /// uses up a worker and starts its replacement; runs that come faster than workers start wait for one. Call this
    /// after a burst, before runs whose latency matters.
    /// </summary>
    public Task WaitForWarmWorkersAsync(CancellationToken cancellationToken = default) => _pool.WhenFullAsync(cancellationToken);

    /// <summary>A snapshot of the live worker processes: the warm ones waiting for a run and those serving one.</summary>
    public IReadOnlyList<SandboxWorkerInfo> GetWorkers() =>
        _pool.LiveWorkers.Select(w => new SandboxWorkerInfo(w.RuntimeProcessId, w.StartedAt, w.SnippetsRun, w.ResidentBytes())).ToArray();

    /// <summary>Kills every worker process.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
