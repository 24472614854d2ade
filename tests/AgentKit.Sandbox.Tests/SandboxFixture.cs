using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

/// <summary>
/// One warm sandbox shared by every test class (starting workers costs about a second each), with short limits
/// so adversarial tests finish fast. Tests run one class at a time in this collection.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public const string HostSecretVariable = "AGENTKIT_SANDBOX_TEST_SECRET";

    public static readonly SandboxOptions Options = new()
    {
        // Generous for a loaded 2-core machine: ordinary snippets must never hit it; only the loops do.
        Timeout = TimeSpan.FromSeconds(4),
        MemoryLimitMb = 256,
        MaxOutputChars = 2_000,
        PoolSize = 2,
        RegexMatchTimeout = TimeSpan.FromMilliseconds(200),
    };

    public CodeSandbox Sandbox { get; private set; } = null!;

    private Containment _containment = null!;

    public async Task InitializeAsync()
    {
        // Set in the host before workers start: the scrubbed-environment test checks it never reaches them.
        Environment.SetEnvironmentVariable(HostSecretVariable, "host-only-secret");
        _containment = Containment.Snapshot();
        Sandbox = await CodeSandbox.StartAsync(Options);
    }

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    /// <summary>
    /// The live workers, once at least one is up: right after a run its worker is retired and the replacement may still
    /// be starting.
    /// </summary>
    public async Task<IReadOnlyList<SandboxWorkerInfo>> WorkersAsync()
    {
        for (var i = 0; i < 600 && Sandbox.GetWorkers().Count == 0; i++) await Task.Delay(100);
        return Sandbox.GetWorkers();
    }

    /// <summary>
    /// The sandbox still works after an attack: nothing on the host changed, no worker runs as root, a fresh run starts
    /// clean, and fresh snippets return the right value.
    /// </summary>
    public async Task AssertHealthyAsync()
    {
        await _containment.AssertUnharmedAsync(Sandbox);
        // Twice, so both pool slots (including a just-replaced worker) are exercised.
        for (var i = 0; i < 2; i++)
        {
            var result = await Sandbox.RunAsync("Enumerable.Range(1, 4).Sum()");
            Assert.Equal(ExecutionStatus.Ok, result.Status);
            Assert.Equal("10", result.ReturnValue);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
