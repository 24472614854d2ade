using System.Diagnostics;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// bwrap's die-with-parent fires when the <em>thread</em> that forked a worker exits. Worker processes must be forked
/// from a thread that lives as long as the host, or the thread pool retiring an idle thread kills a worker mid-run.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed class SandboxWorkerLifetimeTests
{
    [Fact]
    public async Task AWorker_OutlivesTheThreadPoolThreadsOfItsHost()
    {
        var snippet = TinyModels.TempPath("spin.csx");
        await File.WriteAllTextAsync(snippet, "while (true) { }");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentkit.dll"));
        foreach (var argument in new[] { "exec", snippet, "--timeout-ms", "3000" }) start.ArgumentList.Add(argument);
        // Idle thread-pool threads retire after 200 ms instead of 20 s, long before the snippet's limit.
        start.Environment["DOTNET_ThreadPool_ThreadTimeoutMs"] = "200";

        using var host = Process.Start(start)!;
        var output = host.StandardOutput.ReadToEndAsync();
        var error = host.StandardError.ReadToEndAsync();
        await host.WaitForExitAsync();

        // The snippet is stopped by its own limit, not by a worker killed under it.
        var text = await output + await error;
        Assert.Equal(1, host.ExitCode);
        Assert.Contains("ran past its 3000 ms limit", text);
        Assert.DoesNotContain("died", text);
    }
}
