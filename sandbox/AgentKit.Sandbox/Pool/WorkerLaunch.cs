using System.Diagnostics;
using System.Globalization;
using AgentKit.Sandbox.Confinement;
using AgentKit.Sandbox.Logging;
using Microsoft.Extensions.Logging;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// How to start a worker process: the dotnet executable, the worker assembly, the confinement around it, and a
/// scrubbed environment. Worked out (and probed) once per sandbox.
/// </summary>
internal sealed class WorkerLaunch
{
    private const string WorkerFolder = "sandbox-worker";
    private const string WorkerAssembly = "AgentKit.Sandbox.Worker.dll";

    private readonly string _dotnet;
    private readonly string _workerPath;
    private readonly SandboxOptions _options;
    private readonly ConfinementTools? _tools;
    private readonly ConfinementSettings _settings;
    private readonly string? _seccompFile;
    private readonly string[]? _namespaceWrapper;
    private string? _unconfinedReason;
    private IReadOnlyList<string>? _commandOverride;
    private int? _nonRootHostUser;

    private WorkerLaunch(SandboxOptions options, string dotnet, string workerPath, ConfinementTools? tools, ConfinementSettings settings, string? seccompFile, string[]? namespaceWrapper)
    {
        _options = options;
        _dotnet = dotnet;
        _workerPath = workerPath;
        _tools = tools;
        _settings = settings;
        _seccompFile = seccompFile;
        _namespaceWrapper = namespaceWrapper;
    }

    /// <summary>True when workers run under OS confinement (unprivileged user, namespaces, read-only system, seccomp where available).</summary>
    public bool Confined => _tools is not null;

    /// <summary>True when workers have a network namespace of their own (part of confinement, or <c>unshare --net</c> alone).</summary>
    public bool NetworkIsolated => Confined || _namespaceWrapper is not null;

    /// <summary>True when a seccomp filter is in force.</summary>
    public bool SeccompFiltered => Confined && _seccompFile is not null;

    /// <summary>A one-line account of what confines workers, for logs and reports.</summary>
    public string Description => Confined
        ? $"confined: {(HostIsRoot ? $"uid {_settings.UserId}" : "host's uid")} in new user/mount/pid/net/ipc/uts namespaces, read-only system, a private scratch tmpfs, no capabilities, {(SeccompFiltered ? "seccomp" : "no seccomp (architecture)")}"
        : $"{(NetworkIsolated ? "network namespace only, " : "")}no OS confinement ({_unconfinedReason ?? "disabled"})";

    /// <summary>The longest message the host reads from a worker; a worker that sends more is killed.</summary>
    public int MaxMessageBytes => (int)Math.Min(int.MaxValue, (4L * _options.MaxOutputChars + _options.MaxToolArgumentChars) * 6 + 65_536);

    private bool HostIsRoot => _nonRootHostUser is null && Environment.IsPrivilegedProcess;

    /// <summary>Resolves paths and probes confinement; throws with a clear message when something required is missing.</summary>
    public static WorkerLaunch Create(SandboxOptions options, ILogger logger)
    {
        var workerPath = LocateWorker(options.WorkerPath);
        var dotnet = LocateDotnet();
        var settings = new ConfinementSettings(
            options.WorkerUserId, options.WorkerGroupId, options.MaxWorkerProcesses, 256, options.MaxScratchBytes,
            // .NET reserves address space up front (1 GiB is too little to start); four times the heap limit plus
            // 2 GiB leaves the runtime room and still bounds native allocations the heap limit does not count.
            (4L * options.MemoryLimitMb + 2048) * 1024 * 1024,
            [Path.GetDirectoryName(dotnet)!, Path.GetDirectoryName(workerPath)!]);

        string? failureReason = null;
        if (options.OsConfinement != OsConfinement.Disabled)
        {
            var (tools, missing) = ConfinementTools.Find();
            string? seccompFile = null;
            var failure = missing;
            if (tools is not null)
            {
                seccompFile = WriteSeccompFilter();
                var candidate = new WorkerLaunch(options, dotnet, workerPath, tools, settings, seccompFile, null);
                failure = candidate.Probe();
                if (failure is null) return candidate;
            }
            if (options.OsConfinement == OsConfinement.Required)
                throw new InvalidOperationException($"OsConfinement.Required: sandbox workers cannot be confined here: {failure}. Use OsConfinement.Auto to run without it (see sandbox/README.md).");
            failureReason = failure ?? "unknown";
            SandboxLog.ConfinementUnavailable(logger, failureReason);
        }

        string[]? wrapper = null;
        if (options.NetworkIsolation != NetworkIsolation.Disabled)
        {
            wrapper = NetworkNamespaceProbe.Wrapper;
            if (wrapper is null && options.NetworkIsolation == NetworkIsolation.Required)
                throw new InvalidOperationException(
                    "NetworkIsolation.Required: this machine cannot give sandbox workers a network namespace " +
                    "('unshare --net' needs root or unprivileged user namespaces, on Linux). Use NetworkIsolation.Auto to rely on the policy alone.");
            if (wrapper is null) SandboxLog.NetworkIsolationUnavailable(logger);
        }
        return new WorkerLaunch(options, dotnet, workerPath, null, settings, null, wrapper) { _unconfinedReason = failureReason };
    }

    /// <summary>A scratch folder for an unconfined worker (under this host's swept root); null when confined (its /tmp is a tmpfs of its own).</summary>
    public string? NewWorkDirectory()
    {
        if (Confined) return null;
        var directory = Path.Combine(ScratchRoot.Path, "w-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A start description for one worker; <paramref name="workDirectory"/> is its own empty folder when unconfined.</summary>
    public ProcessStartInfo CreateStartInfo(string? workDirectory)
    {
        var home = workDirectory ?? ConfinedCommand.ScratchPath;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Nothing of the host's environment (secrets, tokens, paths) reaches the worker.
            ["HOME"] = home,
            ["TMPDIR"] = home,
            ["DOTNET_GCHeapHardLimit"] = "0x" + ((long)_options.MemoryLimitMb * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_EnableDiagnostics"] = "0", // no debugger, profiler or diagnostics socket
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        IReadOnlyList<string> command = _commandOverride ??
        [
            _dotnet, _workerPath,
            "--max-output-chars", Invariant(_options.MaxOutputChars),
            "--regex-timeout-ms", Invariant((int)Math.Ceiling(_options.RegexMatchTimeout.TotalMilliseconds)),
            "--memory-limit-mb", Invariant(_options.MemoryLimitMb),
            "--max-tool-argument-chars", Invariant(_options.MaxToolArgumentChars),
        ];
        return CreateStartInfo(command, environment, workDirectory);
    }

    /// <summary>
    /// The same launch with another program in the worker's place (tests play a compromised worker that lies on the
    /// protocol, under the real confinement).
    /// </summary>
    internal WorkerLaunch WithWorkerCommand(IReadOnlyList<string> command) =>
        new(_options, _dotnet, _workerPath, _tools, _settings, _seccompFile, _namespaceWrapper) { _unconfinedReason = _unconfinedReason, _commandOverride = command, _nonRootHostUser = _nonRootHostUser };

    /// <summary>
    /// The same launch as a host running as <paramref name="userId"/> would make it (tests run as root, and check the
    /// non-root path through this): no setpriv inside, and the whole command started as that user.
    /// </summary>
    internal WorkerLaunch AsNonRootHost(int userId) =>
        new(_options, _dotnet, _workerPath, _tools, _settings, _seccompFile, _namespaceWrapper) { _unconfinedReason = _unconfinedReason, _commandOverride = _commandOverride, _nonRootHostUser = userId };

    /// <summary>Starts any <paramref name="command"/> under the same confinement as a worker (the probe, and tests that play a compromised worker).</summary>
    internal ProcessStartInfo CreateStartInfo(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string? workDirectory)
    {
        IReadOnlyList<string> argv = _tools is not null
            ? ConfinedCommand.Build(_tools, _settings, _seccompFile, HostIsRoot, environment, command)
            : _namespaceWrapper is null ? command : [.. _namespaceWrapper, "--", .. command];
        if (_nonRootHostUser is { } user && _tools is not null)
            argv = [_tools.Setpriv, "--reuid=" + Invariant(user), "--regid=" + Invariant(user), "--clear-groups", "--", .. argv];
        var start = new ProcessStartInfo
        {
            FileName = argv[0],
            WorkingDirectory = workDirectory ?? ScratchRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardErrorEncoding = new System.Text.UTF8Encoding(false),
        };
        foreach (var argument in argv.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        if (_tools is null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>Runs a trivial command confined, to learn before any real start whether confinement works here.</summary>
    private string? Probe()
    {
        var check = $"test -r '{_workerPath}' && test -x '{_dotnet}'";
        var start = CreateStartInfo(["/bin/sh", "-c", check], new Dictionary<string, string>(), null);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return "the confinement probe did not start";
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                return "the confinement probe did not finish within 15 s";
            }
            if (process.ExitCode == 0) return null;
            var message = stderr.Wait(1_000) ? stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() : null;
            return message is { Length: > 0 }
                ? $"bwrap failed: {message}"
                : $"the confined worker cannot read {_workerPath} or run {_dotnet} as uid {_settings.UserId} (make them readable by that user, or set SandboxOptions.WorkerUserId)";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return $"the confinement probe failed: {ex.Message}";
        }
    }

    private static readonly object SeccompFileGate = new();

    /// <summary>
    /// The filter's file, one per host process. A launch created while another sandbox's worker starts must never
    /// rewrite the file that worker's bwrap is reading through fd 3: truncated mid-read, the filter is an invalid program
    /// (<c>prctl(PR_SET_SECCOMP)</c> fails with EINVAL) and the worker dies. So it is written aside and renamed into
    /// place (a reader keeps the file it opened), and left alone when it already holds the filter.
    /// </summary>
    internal static string? WriteSeccompFilter() => WriteSeccompFilter(ScratchRoot.Path);

    /// <summary>As <see cref="WriteSeccompFilter()"/>, in <paramref name="directory"/> (tests use their own, never the file live workers read).</summary>
    internal static string? WriteSeccompFilter(string directory)
    {
        if (SeccompFilter.ForCurrentArchitecture() is not { } program) return null;
        var path = Path.Combine(directory, "seccomp.bpf");
        lock (SeccompFileGate)
        {
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(program)) return path;
            var staging = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(staging, program);
            // Read through the inherited file descriptor by an unprivileged user.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(staging, path, overwrite: true);
        }
        return path;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string LocateWorker(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException($"SandboxOptions.WorkerPath '{configured}' does not exist.");
        }
        var candidates = new List<string>();
        var hostDirectory = Path.GetDirectoryName(typeof(WorkerLaunch).Assembly.Location);
        if (!string.IsNullOrEmpty(hostDirectory)) candidates.Add(Path.Combine(hostDirectory, WorkerFolder, WorkerAssembly));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, WorkerFolder, WorkerAssembly));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The sandbox worker was not found (looked for {string.Join(" and ", candidates.Distinct())}). " +
                "Reference AgentKit.Sandbox from the project (its build copies the worker into sandbox-worker/) or set SandboxOptions.WorkerPath.");
    }

    /// <summary>The dotnet executable of the runtime this host runs on, so the worker gets the same runtime.</summary>
    private static string LocateDotnet()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";
        var candidates = new List<string?>
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → <root>/dotnet
            runtimeDirectory.Length > 0 ? Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", executable)) : null,
            Path.GetFileName(Environment.ProcessPath) == executable ? Environment.ProcessPath : null,
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, executable) : null,
        };
        return candidates.FirstOrDefault(c => c is not null && File.Exists(c))
            ?? throw new InvalidOperationException("Cannot find the dotnet executable to start sandbox workers (set DOTNET_ROOT).");
    }
}

/// <summary>Finds out once whether <c>unshare --net</c> works here, as root or through a user namespace (the fallback when workers cannot be confined).</summary>
internal static class NetworkNamespaceProbe
{
    private static readonly Lazy<string[]?> LazyWrapper = new(Probe);

    /// <summary>The command prefix that starts a program in a new network namespace, or null when none works.</summary>
    public static string[]? Wrapper => LazyWrapper.Value;

    private static string[]? Probe()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var unshare = new[] { "/usr/bin/unshare", "/bin/unshare" }.FirstOrDefault(File.Exists);
        if (unshare is null) return null;
        foreach (var wrapper in new[] { new[] { unshare, "--net" }, new[] { unshare, "--net", "--map-root-user" } })
        {
            if (Succeeds(wrapper)) return wrapper;
        }
        return null;
    }

    private static bool Succeeds(string[] wrapper)
    {
        try
        {
            var start = new ProcessStartInfo { FileName = wrapper[0], UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in wrapper.Skip(1)) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add("/bin/true");
            using var process = Process.Start(start);
            if (process is null) return false;
            if (!process.WaitForExit(5_000))
            {
                process.Kill();
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
