using System.Diagnostics;
using System.Globalization;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// A host killed with SIGKILL cannot clean up: its workers must die with it (the confinement's die-with-parent, or the
/// worker's own parent watchdog), and the next host sweeps the scratch folder it left behind.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed class SandboxHostKillTests
{
    private const string WorkerAssembly = "AgentKit.Sandbox.Worker.dll";

    [Fact]
    public async Task KillingTheHost_KillsItsWorkers_AndTheNextHostSweepsItsFolder()
    {
        if (!OperatingSystem.IsLinux()) return;
        var snippet = TinyModels.TempPath("loop.csx");
        await File.WriteAllTextAsync(snippet, "while (true) { }");
        using var host = Process.Start(Cli("exec", snippet, "--timeout-ms", "120000"))!;
        _ = host.StandardOutput.ReadToEndAsync();
        _ = host.StandardError.ReadToEndAsync();

        // Wait until the looping worker runs below the host (exec's pool is one worker, replaced only after its run).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        List<int> workers;
        while ((workers = WorkersBelow(host.Id)).Count < 1 && !host.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.False(host.HasExited, "the host stopped by itself");
        Assert.True(workers.Count >= 1, $"found {workers.Count} workers below the host");
        await Task.Delay(500); // the snippet is looping by now
        var hostFolder = Directory.EnumerateDirectories(SharedScratch(), $"host-{host.Id}-*").Single();

        host.Kill(entireProcessTree: false); // SIGKILL to the host alone
        await host.WaitForExitAsync();

        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (workers.Any(IsRunning) && DateTime.UtcNow < gone)
            await Task.Delay(100);
        Assert.DoesNotContain(workers, IsRunning);
        Assert.True(Directory.Exists(hostFolder)); // nobody could clean it yet

        var trivial = TinyModels.TempPath("trivial.csx");
        await File.WriteAllTextAsync(trivial, "1 + 1");
        using var next = Process.Start(Cli("exec", trivial))!;
        var nextError = next.StandardError.ReadToEndAsync();
        _ = next.StandardOutput.ReadToEndAsync();
        await next.WaitForExitAsync();
        Assert.True(next.ExitCode == 0, await nextError);
        Assert.False(Directory.Exists(hostFolder), "the next host did not sweep the dead host's folder");
    }

    private static ProcessStartInfo Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentkit.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    private static string SharedScratch() => Path.Combine(Path.GetTempPath(), "agentkit-sandbox");

    private static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(WorkerAssembly, StringComparison.Ordinal);

    /// <summary>Processes below <paramref name="root"/> that run the worker assembly through dotnet.</summary>
    private static List<int> WorkersBelow(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // exited meanwhile
            }
        }
        var below = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            foreach (var (child, parent) in parents)
            {
                if (parent != pid) continue;
                queue.Enqueue(child);
                try
                {
                    var argv = File.ReadAllText($"/proc/{child}/cmdline").Split('\0');
                    if (argv.Length >= 2 && argv[1].EndsWith(WorkerAssembly, StringComparison.Ordinal)) below.Add(child);
                }
                catch (IOException)
                {
                    // exited meanwhile
                }
            }
        }
        return below;
    }
}
