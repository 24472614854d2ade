using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing;

/// <summary>
/// Counts the coverage of a set of inputs the same way for every engine: each input is replayed through our own worker
/// against the campaign's instrumented target and the distinct coverage-map cells are counted (the builtin engine's
/// "edges"). This makes afl's queue and our corpus comparable on one yardstick, next to each engine's own figure.
/// </summary>
public static class CorpusCoverage
{
    /// <summary>Replays <paramref name="inputFiles"/> against the target of <paramref name="campaignDirectory"/>; returns the distinct cells hit.</summary>
    /// <param name="campaignDirectory">A campaign directory (its <c>target.json</c> names the instrumented target).</param>
    /// <param name="inputFiles">The inputs, e.g. a corpus folder's files or afl's <c>queue/</c>.</param>
    /// <param name="timeout">Time one input may take; inputs that hang or kill the worker add no coverage.</param>
    /// <param name="runnerPath">Path of <c>AgentKit.Tools.FuzzRunner.dll</c> (default: next to this assembly).</param>
    /// <exception cref="InvalidOperationException">The campaign has no <c>target.json</c> or the runner cannot start.</exception>
    public static int CountEdges(string campaignDirectory, IEnumerable<string> inputFiles, TimeSpan timeout, string? runnerPath = null)
    {
        ArgumentNullException.ThrowIfNull(inputFiles);
        var manifest = Path.Combine(Path.GetFullPath(campaignDirectory), "target.json");
        if (!File.Exists(manifest))
            throw new InvalidOperationException($"{manifest} is missing: not a prepared campaign directory");
        var launch = new WorkerLaunch(runnerPath ?? FuzzCampaign.DefaultRunnerPath, manifest, 1024, TimeSpan.FromSeconds(60));
        var map = new CoverageMap();
        var worker = new WorkerProcess(launch, TimeProvider.System);
        try
        {
            foreach (var file in inputFiles)
            {
                var result = worker.Execute(File.ReadAllBytes(file), timeout);
                map.Merge(result.Hits);
                if (result.Kind is ExecKind.Died or ExecKind.Hang)
                {
                    worker.Dispose();
                    worker = new WorkerProcess(launch, TimeProvider.System);
                }
            }
        }
        finally
        {
            worker.Dispose();
        }
        return map.Edges;
    }
}
