using AgentKit.Sandbox;

namespace AgentKit.Core.Tests;

/// <summary>One real sandbox (two warm workers) shared by the loop tests: starting workers is the slow part.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public CodeSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 2, Timeout = TimeSpan.FromSeconds(10) });

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
