using Microsoft.Extensions.Hosting;

namespace AgentKit.Server;

/// <summary>
/// A host lifetime that leaves process signals alone. The default console lifetime would catch Ctrl+C and
/// SIGTERM to stop only the web host, leaving the embedding process (a CLI, a test, an app) running without
/// a server; the embedder decides when to dispose the server instead.
/// </summary>
internal sealed class HostWithoutSignals : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
