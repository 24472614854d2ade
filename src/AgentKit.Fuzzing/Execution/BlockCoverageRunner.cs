using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Execution;

/// <summary>
/// Runs inputs in the existing worker against a <see cref="BlockModeTarget"/> twin, with its timeouts and crash
/// capture, and reports the probe blocks each executed. A worker killed by an input (hang, stack overflow) is replaced.
/// Not thread-safe: one input at a time.
/// </summary>
public sealed class BlockCoverageRunner : IDisposable
{
    private readonly WorkerLaunch _launch;
    private readonly TimeSpan _timeout;
    private WorkerProcess? _worker;

    /// <summary>Starts a worker for the block-mode manifest <paramref name="manifestPath"/> (from <see cref="BlockModeTarget.Create"/>).</summary>
    /// <param name="manifestPath">The twin's <c>target.json</c>.</param>
    /// <param name="timeout">Wall time one input may take before it counts as a hang.</param>
    /// <param name="memoryLimitMb">GC heap limit of the worker.</param>
    /// <param name="runnerPath">Path of <c>AgentKit.Tools.FuzzRunner.dll</c> (default: <see cref="FuzzCampaign.DefaultRunnerPath"/>).</param>
    /// <exception cref="InvalidOperationException">The runner is missing or cannot load the target.</exception>
    public BlockCoverageRunner(string manifestPath, TimeSpan timeout, int memoryLimitMb = 1024, string? runnerPath = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryLimitMb, 64);
        var runner = runnerPath ?? FuzzCampaign.DefaultRunnerPath;
        if (!File.Exists(runner))
            throw new InvalidOperationException($"fuzz runner not found at {runner}");
        _launch = new WorkerLaunch(runner, Path.GetFullPath(manifestPath), memoryLimitMb, TimeSpan.FromSeconds(60));
        _timeout = timeout;
        _worker = new WorkerProcess(_launch, TimeProvider.System);
    }

    /// <summary>Runs <paramref name="input"/> and returns the blocks it executed and whether it was a finding.</summary>
    public BlockRun Run(ReadOnlySpan<byte> input)
    {
        _worker ??= new WorkerProcess(_launch, TimeProvider.System);
        var result = _worker.Execute(input, _timeout);
        if (result.Kind is ExecKind.Died or ExecKind.Hang)
        {
            _worker.Dispose();
            _worker = null;
        }
        var blocks = result.Hits.Select(h => (int)h.Index).ToHashSet();
        return result.Kind switch
        {
            ExecKind.Ok => new BlockRun(blocks, false, "ok"),
            ExecKind.Crash => new BlockRun(blocks, true, "crash", result.ExceptionType, result.Message, result.StackTrace),
            ExecKind.Died => new BlockRun(blocks, true, "died", Message: $"worker exited with code {result.ExitCode}", StackTrace: result.Stderr, ExitCode: result.ExitCode),
            _ => new BlockRun(blocks, true, "hang", Message: $"ran past {_timeout.TotalMilliseconds:F0} ms"),
        };
    }

    /// <summary>The union of the blocks <paramref name="inputs"/> execute (e.g. a campaign's corpus): the covered set.</summary>
    public HashSet<int> Cover(IEnumerable<byte[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var covered = new HashSet<int>();
        foreach (var input in inputs)
            covered.UnionWith(Run(input).Blocks);
        return covered;
    }

    /// <summary>Stops the worker.</summary>
    public void Dispose()
    {
        _worker?.Dispose();
        _worker = null;
    }
}
