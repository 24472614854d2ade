using System.Globalization;

namespace AgentKit.Sandbox.Pool;

/// <summary>Finds a process below another in the process tree (Linux <c>/proc</c>); the worker runs a few launchers deep when confined.</summary>
internal static class ProcessTree
{
    /// <summary>
    /// The first descendant of <paramref name="root"/> (or itself) that runs <paramref name="assembly"/> through the
    /// dotnet muxer (its second argument; launchers that merely pass it along do not count); null when none or off Linux.
    /// </summary>
    public static int? FindDescendant(int root, string assembly)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (ProcStat.ParentOf(pid) is { } parent) parents[pid] = parent;
        }
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            var argv = CommandLine(pid).Split('\0');
            if (argv.Length >= 2 && argv[1].EndsWith(assembly, StringComparison.Ordinal)) return pid;
            foreach (var (child, parent) in parents)
                if (parent == pid) queue.Enqueue(child);
        }
        return null;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
