using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Sandbox.Logging;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentKit.Sandbox;

/// <summary>
/// Runs untrusted C# snippets out of process. A pool of pre-warmed worker processes compiles each snippet with
/// Roslyn, refuses it if it names anything outside the allow-list, and runs it under a wall-clock limit, a heap
/// limit, an output cap and (where the machine allows) in a network namespace of its own. See sandbox/README.md
/// for what this does and does not protect against.
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

    private CodeSandbox(SandboxOptions options, WorkerPool pool, bool networkIsolated)
    {
        Options = options;
        _pool = pool;
        _executor = new SnippetExecutor(pool, options);
        NetworkIsolated = networkIsolated;
    }

    /// <summary>The settings this sandbox runs with.</summary>
    public SandboxOptions Options { get; }

    /// <summary>True when workers run in their own network namespace; false when only the policy keeps code off the network.</summary>
    public bool NetworkIsolated { get; }

    /// <summary>Starts <see cref="SandboxOptions.PoolSize"/> workers and returns once all of them are warm.</summary>
    /// <exception cref="InvalidOperationException">The worker cannot be found or started, or network isolation is required but unavailable.</exception>
    public static async Task<CodeSandbox> StartAsync(SandboxOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CodeSandbox>();
        var launch = WorkerLaunch.Create(options, out var isolationUnavailable);
        if (isolationUnavailable) SandboxLog.NetworkIsolationUnavailable(logger);
        var pool = await WorkerPool.StartAsync(options, launch, logger, cancellationToken).ConfigureAwait(false);
        return new CodeSandbox(options, pool, launch.NetworkIsolated);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A tool name is not a C# identifier, is duplicated, or its declarations do not compile.</exception>
    public async Task<ICodeSession> OpenSessionAsync(IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return await CodeSession.OpenAsync(_executor, tools, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one snippet in a throwaway state (no tools, nothing kept), on the least busy worker.</summary>
    public async Task<ExecutionResult> RunAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        using var lease = await _pool.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
        return await _executor.RunAsync(lease, 0, code, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A snapshot of the pool's worker processes (ids, replacements, memory).</summary>
    public IReadOnlyList<SandboxWorkerInfo> GetWorkers() =>
        _pool.Slots.Select(slot => slot.Worker.IsCompletedSuccessfully
                ? new SandboxWorkerInfo(slot.Index, slot.Worker.Result.ProcessId, slot.Generation, slot.Worker.Result.SnippetsRun, slot.Worker.Result.ResidentBytes())
                : new SandboxWorkerInfo(slot.Index, 0, slot.Generation, 0, null))
            .ToArray();

    /// <summary>Asks every worker for its own memory figures, after a full collection (diagnostics and leak tests).</summary>
    internal async Task<IReadOnlyList<WorkerStats>> GetWorkerStatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = new List<WorkerStats>();
        foreach (var slot in _pool.Slots)
        {
            using var lease = await _pool.AcquireAsync(slot, cancellationToken).ConfigureAwait(false);
            var reply = await lease.SendAsync(new WorkerRequest { Kind = WorkerProtocol.Requests.Stats }, null, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (reply.Stats is { } worker) stats.Add(worker);
        }
        return stats;
    }

    /// <summary>Kills every worker process.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
