using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

/// <summary>
/// What every attack test asserts afterwards: nothing on the host changed (a canary folder and this test's output
/// folder), no worker runs as root, and the next run starts from a clean slate.
/// </summary>
public sealed class Containment
{
    private readonly string _canary;
    private readonly string[] _outputFolder;

    private Containment(string canary)
    {
        _canary = canary;
        _outputFolder = Listing(AppContext.BaseDirectory);
    }

    /// <summary>Takes the snapshot (and plants a canary file an escape would be tempted to touch).</summary>
    public static Containment Snapshot()
    {
        var canary = Path.Combine(Path.GetTempPath(), "agentkit-canary-" + Environment.ProcessId);
        Directory.CreateDirectory(canary);
        File.WriteAllText(Path.Combine(canary, "secret.txt"), "host-only");
        return new Containment(canary);
    }

    /// <summary>Asserts the host is as it was, workers are unprivileged, and a fresh run sees default state.</summary>
    public async Task AssertUnharmedAsync(CodeSandbox sandbox)
    {
        Assert.Equal(["secret.txt"], Listing(_canary));
        Assert.Equal("host-only", await File.ReadAllTextAsync(Path.Combine(_canary, "secret.txt")));
        Assert.Equal(_outputFolder, Listing(AppContext.BaseDirectory));
        if (sandbox.OsConfined)
        {
            foreach (var worker in sandbox.GetWorkers())
            {
                var uid = File.ReadLines($"/proc/{worker.ProcessId}/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (uid is null) continue; // retired meanwhile
                Assert.DoesNotContain("\t0\t", uid + "\t");
            }
        }
        await using var session = await sandbox.OpenSessionAsync([]);
        var fresh = await session.ExecuteAsync("Console.WriteLine(\"a\"); CultureInfo.CurrentCulture.Name + \"|\" + Enumerable.Range(1, 4).Sum()");
        Assert.Equal(ExecutionStatus.Ok, fresh.Status);
        Assert.Equal("a\n", fresh.Output);
        Assert.Equal("|10", fresh.ReturnValue);
    }

    private static string[] Listing(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
