using System.Diagnostics;
using System.Globalization;

namespace AgentKit.Sandbox.Confinement;

/// <summary>
/// One folder per host process under <c>$TMPDIR/agentkit-sandbox/</c>, holding its workers' scratch directories
/// and launch files. A host killed with SIGKILL cannot clean up after itself, so every new host sweeps the folders of
/// hosts that are gone (their process id no longer runs, or runs a process that started at another time).
/// </summary>
internal static class ScratchRoot
{
    private const string HostPrefix = "host-";
    private static readonly Lazy<string> LazyPath = new(Create);

    /// <summary>The folder every name under which this process owns (created and swept on first use).</summary>
    public static string Path => LazyPath.Value;

    /// <summary>The folder all hosts share.</summary>
    public static string SharedParent => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentkit-sandbox");

    /// <summary>Removes the folders of hosts that are no longer running; returns how many were removed.</summary>
    public static int SweepDeadHosts(string parent)
    {
        if (!Directory.Exists(parent)) return 0;
        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(parent))
        {
            var name = System.IO.Path.GetFileName(directory);
            var dead = name.StartsWith(HostPrefix, StringComparison.Ordinal)
                ? ParseOwner(name) is not { } owner || !IsRunning(owner.ProcessId, owner.StartTicks)
                // Scratch folders of versions before per-host folders: gone once nothing has touched them for an hour.
                : Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddHours(-1);
            if (dead && TryDelete(directory)) removed++;
        }
        return removed;
    }

    /// <summary>The folder name a process with this id and start time owns.</summary>
    internal static string FolderName(int processId, long startTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"{HostPrefix}{processId}-{startTicks}");

    private static string Create()
    {
        var parent = SharedParent;
        Directory.CreateDirectory(parent);
        SweepDeadHosts(parent);
        using var self = Process.GetCurrentProcess();
        var path = System.IO.Path.Combine(parent, FolderName(self.Id, StartTicks(self.Id) ?? 0));
        Directory.CreateDirectory(path);
        return path;
    }

    private static (int ProcessId, long StartTicks)? ParseOwner(string name)
    {
        var parts = name[HostPrefix.Length..].Split('-');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
               && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? (pid, ticks)
            : null;
    }

    private static bool IsRunning(int processId, long startTicks) =>
        StartTicks(processId) is { } ticks && ticks == startTicks;

    /// <summary>
    /// When the process started, in clock ticks since boot (field 22 of <c>/proc/PID/stat</c>): with the pid it names
    /// one process for good, even after the pid is reused. Elsewhere the start time from the process table.
    /// </summary>
    private static long? StartTicks(int processId)
    {
        if (OperatingSystem.IsLinux()) return Pool.ProcStat.StartTicks(processId);
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // another host's sweep got there first, or a file is still held
        }
    }
}
