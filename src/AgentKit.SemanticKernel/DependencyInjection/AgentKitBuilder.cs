using Microsoft.Extensions.DependencyInjection;

namespace AgentKit.SemanticKernel.DependencyInjection;

/// <summary>
/// Configures AgentKit services on an <see cref="IServiceCollection"/>. Created by
/// <see cref="AgentKitServiceCollectionExtensions.AddAgentKit"/>; its <c>AddXxx</c> extension methods return the
/// builder so registrations chain: <c>services.AddAgentKit().AddLuceneSearch("index").AddTool(myTool);</c>
/// </summary>
public sealed class AgentKitBuilder
{
    internal AgentKitBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the builder adds to.</summary>
    public IServiceCollection Services { get; }
}
