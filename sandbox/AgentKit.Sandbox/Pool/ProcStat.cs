using System.Globalization;

namespace AgentKit.Sandbox.Pool;

/// <summary>Fields of Linux <c>/proc/PID/stat</c>, read where the sandbox needs a process's parent or start time.</summary>
internal static class ProcStat
{
    /// <summary>The parent process id (field 4), or null when the process is gone or unreadable.</summary>
    public static int? ParentOf(int pid) => Field(pid, 4) is { } value ? (int)value : null;

    /// <summary>When the process started, in clock ticks since boot (field 22), or null when it is gone or unreadable.</summary>
    public static long? StartTicks(int pid) => Field(pid, 22);

    /// <summary>Field <paramref name="number"/> (1-based, as <c>man proc</c> numbers them; from 3 on) as a number.</summary>
    private static long? Field(int pid, int number)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count from after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException
                                       or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
