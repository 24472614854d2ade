using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Tools;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;
using AgentKit.SemanticKernel.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.DependencyInjection;

/// <summary>
/// Registrations on <see cref="AgentKitBuilder"/>. Tools are registered as <see cref="IAgentTool"/> singletons;
/// options are validated when registered, so configuration mistakes fail at startup.
/// </summary>
public static class AgentKitBuilderExtensions
{
    /// <summary>Registers <paramref name="tool"/> as an <see cref="IAgentTool"/>.</summary>
    public static AgentKitBuilder AddTool(this AgentKitBuilder builder, IAgentTool tool)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tool);
        builder.Services.AddSingleton(tool);
        return builder;
    }

    /// <summary>Registers <typeparamref name="TTool"/>, created by the container with its dependencies, as an <see cref="IAgentTool"/>.</summary>
    public static AgentKitBuilder AddTool<TTool>(this AgentKitBuilder builder)
        where TTool : class, IAgentTool
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAgentTool, TTool>();
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="LuceneSearcher"/> over the index in <paramref name="indexDirectory"/> (also as
    /// <see cref="IPassageSearcher"/>) and the <c>Search</c> tool over it. The index opens on first use and closes
    /// with the service provider.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidOperationException">Search was already added.</exception>
    public static AgentKitBuilder AddLuceneSearch(
        this AgentKitBuilder builder, string indexDirectory, LuceneSearchOptions? searchOptions = null, SearchToolOptions? toolOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        searchOptions = (searchOptions ?? new LuceneSearchOptions()).Validate();
        toolOptions = (toolOptions ?? new SearchToolOptions()).Validate();
        var fullPath = Path.GetFullPath(indexDirectory);
        if (builder.Services.Any(d => d.ServiceType == typeof(LuceneSearcher)))
            throw new InvalidOperationException("AddLuceneSearch was already called: an agent host has one search index (the Search tool's name must be unique).");

        builder.Services.TryAddSingleton(_ => LuceneSearcher.Open(fullPath, searchOptions));
        builder.Services.TryAddSingleton<IPassageSearcher>(sp => sp.GetRequiredService<LuceneSearcher>());
        builder.Services.AddSingleton<IAgentTool>(sp => new SearchTool(sp.GetRequiredService<IPassageSearcher>(), toolOptions));
        return builder;
    }

    /// <summary>
    /// Registers the <c>Mentions</c> tool (the passages whose titles a text names) over the index registered by
    /// <see cref="AddLuceneSearch"/>; its titles are read once, when the tool is first resolved.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidOperationException">AddLuceneSearch was not called first.</exception>
    public static AgentKitBuilder AddMentions(this AgentKitBuilder builder, MentionsToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options = (options ?? new MentionsToolOptions()).Validate();
        if (!builder.Services.Any(d => d.ServiceType == typeof(LuceneSearcher)))
            throw new InvalidOperationException("AddMentions needs an index: call AddLuceneSearch(indexDirectory) first.");
        builder.Services.AddSingleton<IAgentTool>(sp => new MentionsTool(sp.GetRequiredService<LuceneSearcher>(), options));
        return builder;
    }

    /// <summary>
    /// Registers every function of <paramref name="plugin"/> as an agent tool (mapping: <see cref="KernelPluginTools"/>).
    /// Functions run on the container's <see cref="Kernel"/> when one is registered, else on a kernel over the container.
    /// </summary>
    /// <exception cref="NotSupportedException">A function cannot be mapped to a tool; thrown here, at registration.</exception>
    public static AgentKitBuilder AddKernelPlugin(this AgentKitBuilder builder, KernelPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(plugin);
        _ = KernelPluginTools.FromPlugin(plugin); // validates every mapping now rather than at first resolve
        foreach (var function in plugin)
            builder.Services.AddSingleton(sp => KernelPluginTools.FromFunction(function, sp.GetService<Kernel>() ?? new Kernel(sp)));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="Agent"/> for <paramref name="definition"/>, keyed by its name and, for the first agent
    /// added, also as the default <see cref="Agent"/>. It is built from the container's <see cref="ICandidateGenerator"/>,
    /// <see cref="ICodeSandbox"/> and the registered tools that the definition names.
    /// </summary>
    /// <exception cref="ArgumentException">The definition is invalid (checked here, at registration).</exception>
    public static AgentKitBuilder AddAgent(this AgentKitBuilder builder, AgentDefinition definition, AgentRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();

        builder.Services.AddKeyedSingleton(definition.Name, (sp, _) =>
        {
            var wanted = new HashSet<string>(definition.Tools, StringComparer.OrdinalIgnoreCase);
            var tools = sp.GetServices<IAgentTool>().Where(t => wanted.Contains(t.Definition.Name)).ToList();
            return new Agent(definition, sp.GetRequiredService<ICandidateGenerator>(), sp.GetRequiredService<ICodeSandbox>(), tools, options);
        });
        builder.Services.TryAddSingleton(sp => sp.GetRequiredKeyedService<Agent>(definition.Name));
        return builder;
    }
}
