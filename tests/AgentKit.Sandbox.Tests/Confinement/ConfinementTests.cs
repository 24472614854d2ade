using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests.Confinement;

/// <summary>
/// The OS layer, tested as if the policy had already been bypassed: real programs (a shell, perl) run under exactly
/// the worker's confinement and try what an attacker with code execution in the worker would try.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ConfinementTests(SandboxFixture fixture)
{
    private CodeSandbox Sandbox => fixture.Sandbox;

    /// <summary>Confinement is expected wherever its tools are installed (CI installs bubblewrap).</summary>
    private static bool Expected => OperatingSystem.IsLinux() && File.Exists("/usr/bin/bwrap");

    [Fact]
    public void Workers_AreConfined_WhereBubblewrapIsInstalled()
    {
        Assert.True(Expected == Sandbox.OsConfined, Sandbox.Confinement);
        if (Expected) Assert.Contains("seccomp", Sandbox.Confinement);
    }

    [Fact]
    public async Task Workers_RunUnprivileged_WithNoNewPrivs_NoCapabilities_AndSeccomp()
    {
        if (!Sandbox.OsConfined) return;
        var workers = await fixture.WorkersAsync();
        Assert.NotEmpty(workers);
        foreach (var worker in workers)
        {
            var status = File.ReadAllLines($"/proc/{worker.ProcessId}/status").ToDictionary(l => l.Split(':')[0], l => l.Split(':', 2)[1].Trim());
            var uids = status["Uid"].Split('\t', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(uids, uid => Assert.NotEqual("0", uid));
            if (Environment.IsPrivilegedProcess) Assert.All(uids, uid => Assert.Equal(SandboxFixture.Options.WorkerUserId.ToString(), uid));
            Assert.Equal("1", status["NoNewPrivs"]);
            Assert.Equal("2", status["Seccomp"]); // filter mode
            Assert.Equal("0000000000000000", status["CapEff"]);
            Assert.Equal("0000000000000000", status["CapPrm"]);
            // New namespaces: nothing of the host's pid, mount, network or IPC namespaces is shared.
            foreach (var ns in new[] { "pid", "mnt", "net", "ipc", "user", "uts" })
                Assert.NotEqual(new FileInfo($"/proc/self/ns/{ns}").LinkTarget, new FileInfo($"/proc/{worker.ProcessId}/ns/{ns}").LinkTarget);
        }
    }

    [Fact]
    public async Task CodeInTheWorker_CannotWriteOutsideItsScratch_NorReadPrivateFiles()
    {
        if (!Sandbox.OsConfined) return;
        var outside = Path.Combine(AppContext.BaseDirectory, "confinement-" + Guid.NewGuid().ToString("N"));
        var hostTmp = Path.Combine(Path.GetTempPath(), "confinement-" + Guid.NewGuid().ToString("N"));
        var scratch = AgentKit.Sandbox.Confinement.ConfinedCommand.ScratchPath;
        var (exit, output) = await RunConfinedAsync(
            $"touch '{outside}' 2>&1; echo \"worker-tmp\" > {scratch}/mine && cat {scratch}/mine; touch '{hostTmp}' 2>/dev/null && echo wrote-host-tmp-path;" +
            " touch /anywhere 2>&1; echo root-write=$?; cat /etc/shadow 2>&1; ls /root 2>&1; ls /home 2>&1; id -u");

        Assert.Equal(0, exit);
        Assert.False(File.Exists(outside), "the worker wrote next to the test assembly");
        Assert.True(output.Contains("Read-only file system", StringComparison.Ordinal) || output.Contains("No such file", StringComparison.Ordinal), output);
        Assert.Contains("worker-tmp", output); // its own scratch works…
        Assert.DoesNotContain("wrote-host-tmp-path", output); // …and nothing else is writable, not even bwrap's root
        Assert.False(File.Exists(hostTmp), "the worker wrote into the host's /tmp");
        Assert.Contains("root-write=1", output);
        Assert.Contains("No such file", output); // /etc/shadow, /root, /home are not even there
        Assert.DoesNotContain("root:", output);
        Assert.NotEqual("0", output.Trim().Split('\n')[^1]);
    }

    [Fact]
    public async Task CodeInTheWorker_CannotSeeOrSignalHostProcesses_NorReachTheNetwork()
    {
        if (!Sandbox.OsConfined) return;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();

        var (_, output) = await RunConfinedAsync(
            $"ls /proc | grep -c '^[0-9]'; kill -9 {Environment.ProcessId} 2>&1; echo kill=$?;" +
            $" cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ';" +
            $" (echo x > /dev/tcp/127.0.0.1/{port}) 2>&1; echo tcp=$?", shell: "/bin/bash");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(int.Parse(lines[0]), 1, 4); // its own pid namespace: bwrap's init, the shell, ls, grep
        Assert.Contains("kill=1", output);
        Assert.Contains("lo", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("eth", StringComparison.Ordinal) || l.StartsWith("en", StringComparison.Ordinal));
        Assert.Contains("tcp=1", output);
        await Task.Delay(200);
        Assert.False(accepted.IsCompleted, "the confined program reached a host loopback port");
        Assert.True(Process.GetCurrentProcess().Responding);
    }

    [Fact]
    public async Task CodeInTheWorker_CannotMakeNamespaces_Mount_OrRaisePrivileges()
    {
        if (!Sandbox.OsConfined) return;
        var (_, output) = await RunConfinedAsync(
            "unshare --user --map-root-user true 2>&1; echo userns=$?; unshare --net true 2>&1; echo netns=$?;" +
            " mount -t tmpfs none /tmp 2>&1; echo mount=$?; su -c true root 2>&1 < /dev/null; echo su=$?");

        Assert.Contains("userns=1", output);
        Assert.Contains("netns=1", output);
        Assert.Contains("mount=", output);
        Assert.DoesNotContain("mount=0", output);
        Assert.DoesNotContain("su=0", output);
    }

    [Fact]
    public async Task SeccompFilter_RefusesSystemCallsThatAnUnprivilegedUserCouldOtherwiseMake()
    {
        if (!Sandbox.OsConfined || !File.Exists("/usr/bin/perl") || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64) return;
        // ptrace(PTRACE_TRACEME) and add_key need no privilege: only the filter stops them. getpid is the control.
        var (_, output) = await RunConfinedAsync(
            "perl -e '$!=0; $r = syscall(39); print \"getpid=\", ($r > 0 ? \"ok\" : \"failed\"), \"\\n\";" +
            " $!=0; syscall(101, 0, 0, 0, 0); print \"ptrace=\", ($!+0), \"\\n\";" +
            " my ($t, $d, $p) = (\"user\", \"agentkit\", \"secret\"); $!=0; syscall(248, $t, $d, $p, 6, -2); print \"add_key=\", ($!+0), \"\\n\";" +
            " $!=0; syscall(425, 1, 0); print \"io_uring=\", ($!+0), \"\\n\";'");

        Assert.Contains("getpid=ok", output);
        Assert.Contains("ptrace=1", output); // EPERM
        Assert.Contains("add_key=1", output);
        Assert.Contains("io_uring=1", output);
    }

    [Fact]
    public async Task ConfinedWorkers_StillRunSnippets_AndLeaveNothingOnTheHostDisk()
    {
        if (!Sandbox.OsConfined) return;
        var result = await Sandbox.RunAsync("Environment.NewLine.Length + Enumerable.Range(1, 3).Sum()");
        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal("7", result.ReturnValue);
        // Their scratch is a tmpfs in their own mount namespace: the host folder has no worker directories.
        var hostRoot = Sandbox.Launch.NewWorkDirectory();
        Assert.Null(hostRoot);
    }

    [Fact]
    public async Task ANonRootHost_ConfinesItsWorkersToo()
    {
        // Tests run as root; the non-root path (no setpriv, bwrap through unprivileged user namespaces) is taken by
        // starting the very same launch as an unprivileged host would.
        if (!Sandbox.OsConfined || !Environment.IsPrivilegedProcess) return;
        var options = SandboxFixture.Options with { PoolSize = 1 };
        var launch = Sandbox.Launch.AsNonRootHost(65534);
        await using var sandbox = await CodeSandbox.StartAsync(options, launch, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

        var result = await sandbox.RunAsync("Enumerable.Range(1, 3).Sum()");

        Assert.Equal(ExecutionStatus.Ok, result.Status);
        Assert.Equal("6", result.ReturnValue);
        // The run's worker is gone; its replacement, started the same way, is the one to inspect.
        for (var i = 0; i < 300 && sandbox.GetWorkers().Count == 0; i++) await Task.Delay(100);
        var worker = Assert.Single(sandbox.GetWorkers());
        var status = File.ReadAllLines($"/proc/{worker.ProcessId}/status").ToDictionary(l => l.Split(':')[0], l => l.Split(':', 2)[1].Trim());
        Assert.All(status["Uid"].Split('\t', StringSplitOptions.RemoveEmptyEntries), uid => Assert.Equal("65534", uid));
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.Equal("2", status["Seccomp"]);
        Assert.Equal("0000000000000000", status["CapEff"]);
        Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, new FileInfo($"/proc/{worker.ProcessId}/ns/net").LinkTarget);
    }

    private async Task<(int Exit, string Output)> RunConfinedAsync(string script, string shell = "/bin/sh")
    {
        var start = Sandbox.Launch.CreateStartInfo([shell, "-c", script], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin" }, null);
        // From the sandbox's spawn thread, as its workers are: bwrap's --die-with-parent kills the child with SIGKILL when
        // the thread that forked it exits, and a test thread may (exit 137 about one suite run in two).
        using var process = new Process { StartInfo = start };
        Assert.True(await AgentKit.Sandbox.Pool.SpawnThread.StartAsync(process));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
