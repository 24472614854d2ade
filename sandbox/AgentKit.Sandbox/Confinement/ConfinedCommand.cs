using System.Globalization;

namespace AgentKit.Sandbox.Confinement;

/// <summary>
/// Builds the command line that starts a program confined:
/// <c>sh</c> (opens the seccomp program as fd 3) → <c>prlimit</c> (resource limits) → <c>setpriv</c> (an unprivileged
/// uid/gid when the host is root) → <c>bwrap</c> (namespaces, read-only file system, private /tmp, no capabilities,
/// no_new_privs, seccomp) → the program. Each tool is a small, well-kept Debian package (util-linux, bubblewrap).
/// </summary>
internal static class ConfinedCommand
{
    /// <summary>
    /// Where the worker sees its scratch folder: a tmpfs of its own, capped in size and gone with its mount namespace.
    /// Not <c>/tmp</c>: the host's own folders (the runtime, the worker) may lie below /tmp and are bound read-only
    /// into the sandbox at their host paths, which would put their parent folders into the scratch folder.
    /// </summary>
    public const string ScratchPath = "/agentkit-scratch";

    private const int SeccompFd = 3;

    /// <summary>System folders bound read-only (those that are symbolic links, as on merged-/usr systems, stay links).</summary>
    private static readonly string[] SystemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"];

    /// <summary>Single files a process may want from /etc (dynamic linker cache, time zone); all else in /etc is hidden.</summary>
    private static readonly string[] EtcFiles = ["/etc/ld.so.cache", "/etc/localtime", "/etc/timezone"];

    /// <summary>
    /// The argument vector (program first) that runs <paramref name="command"/> confined, with exactly
    /// <paramref name="environment"/> as its environment. <paramref name="seccompFile"/> holds the BPF program (null: no
    /// filter, where we have no syscall table for this machine).
    /// </summary>
    public static IReadOnlyList<string> Build(
        ConfinementTools tools, ConfinementSettings settings, string? seccompFile, bool hostIsRoot,
        IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> command)
    {
        var args = new List<string>();
        if (seccompFile is not null)
        {
            // $0 is the filter's path; the rest is the command line to exec with fd 3 open on it.
            args.AddRange(["/bin/sh", "-c", $"exec {SeccompFd}<\"$0\" && exec \"$@\"", seccompFile]);
        }
        args.AddRange([
            tools.Prlimit,
            Invariant($"--nproc={settings.MaxProcesses}"), Invariant($"--nofile={settings.MaxOpenFiles}"),
            Invariant($"--fsize={settings.MaxFileBytes}"), Invariant($"--as={settings.MaxAddressSpaceBytes}"), "--core=0", "--",
        ]);
        if (hostIsRoot)
        {
            args.AddRange([
                tools.Setpriv, Invariant($"--reuid={settings.UserId}"), Invariant($"--regid={settings.GroupId}"), "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]);
        }
        args.AddRange([
            tools.Bwrap,
            "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--hostname", "agentkit-sandbox", "--clearenv",
        ]);
        foreach (var (name, value) in environment) args.AddRange(["--setenv", name, value]);
        foreach (var path in SystemPaths)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) args.AddRange(["--symlink", target, path]);
            else if (Directory.Exists(path)) args.AddRange(["--ro-bind", path, path]);
        }
        foreach (var file in EtcFiles) args.AddRange(["--ro-bind-try", file, file]);
        args.AddRange([
            "--proc", "/proc", "--dev", "/dev",
            "--size", Invariant($"{settings.MaxFileBytes}"), "--tmpfs", ScratchPath,
        ]);
        foreach (var path in settings.ReadOnlyPaths.Distinct(StringComparer.Ordinal))
        {
            if (!SystemPaths.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal)))
                args.AddRange(["--ro-bind", path, path]);
        }
        // bwrap's own root is a writable tmpfs without a size: once everything is mounted, make it read-only, so the
        // capped scratch folder is the only place the worker can write.
        args.AddRange(["--remount-ro", "/", "--chdir", ScratchPath]);
        if (seccompFile is not null) args.AddRange(["--seccomp", Invariant($"{SeccompFd}")]);
        args.Add("--");
        args.AddRange(command);
        return args;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Absolute paths of the tools that confine a worker.</summary>
internal sealed record ConfinementTools(string Bwrap, string Prlimit, string Setpriv)
{
    /// <summary>Finds the tools in the usual places; null (with the reason) when one is missing.</summary>
    public static (ConfinementTools? Tools, string? Missing) Find()
    {
        if (!OperatingSystem.IsLinux()) return (null, "OS confinement needs Linux");
        var bwrap = Locate("bwrap");
        var prlimit = Locate("prlimit");
        var setpriv = Locate("setpriv");
        if (bwrap is null) return (null, "bwrap was not found (install the bubblewrap package)");
        if (prlimit is null || setpriv is null) return (null, "prlimit or setpriv was not found (util-linux)");
        return (new ConfinementTools(bwrap, prlimit, setpriv), null);
    }

    private static string? Locate(string name) =>
        new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
