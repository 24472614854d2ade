namespace AgentKit.Sandbox.Worker;

/// <summary>
/// Ends the worker when its host dies. A closed stdin already does that between snippets, but a snippet stuck in
/// a loop never reads stdin again: without this the orphan would spin until someone kills it.
/// </summary>
internal static class ParentWatchdog
{
    /// <summary>Starts a background thread that exits the process once the parent process is gone (Linux).</summary>
    public static void Start()
    {
        if (!OperatingSystem.IsLinux() || ParentId() is not { } parent) return;
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(1_000);
                // An orphan is re-parented (to init or a subreaper), so its parent id changes.
                if (ParentId() != parent) Environment.Exit(3);
            }
        })
        {
            IsBackground = true,
            Name = "agentkit-parent-watchdog",
        };
        thread.Start();
    }

    private static int? ParentId()
    {
        try
        {
            // /proc/self/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
