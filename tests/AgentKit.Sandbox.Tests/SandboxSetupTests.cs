namespace AgentKit.Sandbox.Tests;

public sealed class SandboxSetupTests
{
    [Fact]
    public void Worker_IsCarriedIntoAConsumingProjectsOutput_InItsOwnFolder()
    {
        // This test project is "another project": it only references AgentKit.Sandbox.
        var folder = Path.Combine(AppContext.BaseDirectory, "sandbox-worker");

        Assert.True(File.Exists(Path.Combine(folder, "AgentKit.Sandbox.Worker.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "AgentKit.Sandbox.Worker.runtimeconfig.json")));
        Assert.True(File.Exists(Path.Combine(folder, "AgentKit.Sandbox.Scripting.dll")));
        // The worker never compiles (the host does, in a process that never runs snippets): no compiler next to it.
        Assert.False(File.Exists(Path.Combine(folder, "Microsoft.CodeAnalysis.dll")));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "AgentKit.Sandbox.Worker.dll")));
    }

    [Fact]
    public async Task MissingWorkerPath_IsAClearError()
    {
        var options = new SandboxOptions { WorkerPath = "/nonexistent/AgentKit.Sandbox.Worker.dll", PoolSize = 1 };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CodeSandbox.StartAsync(options));

        Assert.Contains("WorkerPath", error.Message);
    }

    [Fact]
    public void Options_AreValidatedWhenSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { MemoryLimitMb = 16 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { MaxOutputChars = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { PoolSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { NetworkIsolation = (NetworkIsolation)42 });
        var defaults = new SandboxOptions();
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.Timeout);
        Assert.Equal(Environment.ProcessorCount, defaults.PoolSize);
    }
}
