using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// Starts worker processes from one thread that lives as long as the process. bwrap's <c>--die-with-parent</c>
/// (<c>PR_SET_PDEATHSIG</c>) fires when the <em>thread</em> that forked it exits, not the process: a worker started
/// from a thread-pool thread was killed with SIGKILL, mid-run, once the pool retired that thread after 20 idle seconds.
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource<bool> Started)> Requests = new();
    private static readonly Thread Thread = StartThread();

    /// <summary>The managed id of the thread every worker process is forked from.</summary>
    public static int ManagedThreadId => Thread.ManagedThreadId;

    /// <summary>Starts <paramref name="process"/> on the spawn thread; the result is <see cref="Process.Start()"/>'s.</summary>
    public static Task<bool> StartAsync(Process process)
    {
        var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "agentkit-sandbox-spawn" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(process.Start());
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
