namespace AgentKit.Cli;

/// <summary>
/// Reports on the reporting thread, one report at a time (Progress&lt;T&gt; would post to the thread pool and lag
/// behind the work, and a progress bar fed from parallel runs needs the lock).
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly object _gate = new();

    public void Report(T value)
    {
        lock (_gate) report(value);
    }
}
