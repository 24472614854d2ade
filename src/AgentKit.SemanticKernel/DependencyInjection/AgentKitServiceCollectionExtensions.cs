using AgentKit.SemanticKernel.DependencyInjection;

// In the DI namespace, like other AddXxx extensions, so AddAgentKit shows up wherever services are configured.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Entry point of AgentKit's dependency-injection registration.</summary>
public static class AgentKitServiceCollectionExtensions
{
    /// <summary>Starts configuring AgentKit: tools, search, kernel plugins and agents are added through the returned builder.</summary>
    public static AgentKitBuilder AddAgentKit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new AgentKitBuilder(services);
    }
}
