using System.Diagnostics;
using System.Globalization;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// How to start a worker process: the dotnet executable, the worker assembly, the network namespace wrapper,
/// and a scrubbed environment. Worked out once per sandbox.
/// </summary>
internal sealed class WorkerLaunch
{
    private const string WorkerFolder = "sandbox-worker";
    private const string WorkerAssembly = "AgentKit.Sandbox.Worker.dll";

    private readonly string _dotnet;
    private readonly string _workerPath;
    private readonly string[]? _namespaceWrapper;
    private readonly SandboxOptions _options;

    private WorkerLaunch(SandboxOptions options, string dotnet, string workerPath, string[]? namespaceWrapper)
    {
        _options = options;
        _dotnet = dotnet;
        _workerPath = workerPath;
        _namespaceWrapper = namespaceWrapper;
    }

    /// <summary>True when workers start in a network namespace of their own.</summary>
    public bool NetworkIsolated => _namespaceWrapper is not null;

    /// <summary>Resolves paths and probes network namespaces; throws with a clear message when something is missing.</summary>
    public static WorkerLaunch Create(SandboxOptions options, out bool isolationUnavailable)
    {
        var workerPath = LocateWorker(options.WorkerPath);
        var dotnet = LocateDotnet();
        string[]? wrapper = null;
        isolationUnavailable = false;
        if (options.NetworkIsolation != NetworkIsolation.Disabled)
        {
            wrapper = NetworkNamespaceProbe.Wrapper;
            if (wrapper is null && options.NetworkIsolation == NetworkIsolation.Required)
                throw new InvalidOperationException(
                    "NetworkIsolation.Required: this machine cannot give sandbox workers a network namespace " +
                    "('unshare --net' needs root or unprivileged user namespaces, on Linux). Use NetworkIsolation.Auto to rely on the policy alone.");
            isolationUnavailable = wrapper is null;
        }
        return new WorkerLaunch(options, dotnet, workerPath, wrapper);
    }

    /// <summary>A start description for one worker whose working directory is <paramref name="workDirectory"/> (empty, its own).</summary>
    public ProcessStartInfo CreateStartInfo(string workDirectory)
    {
        var start = new ProcessStartInfo
        {
            FileName = _namespaceWrapper?[0] ?? _dotnet,
            WorkingDirectory = workDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = new System.Text.UTF8Encoding(false),
            StandardErrorEncoding = new System.Text.UTF8Encoding(false),
        };
        if (_namespaceWrapper is not null)
        {
            foreach (var argument in _namespaceWrapper.Skip(1)) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(_dotnet);
        }
        start.ArgumentList.Add(_workerPath);
        start.ArgumentList.Add("--max-output-chars");
        start.ArgumentList.Add(_options.MaxOutputChars.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--regex-timeout-ms");
        start.ArgumentList.Add(((int)Math.Ceiling(_options.RegexMatchTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--memory-limit-mb");
        start.ArgumentList.Add(_options.MemoryLimitMb.ToString(CultureInfo.InvariantCulture));

        // Nothing of the host's environment (secrets, tokens, paths) reaches the worker.
        start.Environment.Clear();
        start.Environment["HOME"] = workDirectory;
        start.Environment["TMPDIR"] = workDirectory;
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)_options.MemoryLimitMb * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // no debugger, profiler or diagnostics socket
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

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

/// <summary>Finds out once whether <c>unshare --net</c> works here, as root or through a user namespace.</summary>
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
