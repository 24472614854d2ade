using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Tools;
using AgentKit.Core;
using AgentKit.Core.Models;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;
using AgentKit.SemanticKernel.DependencyInjection;
using AgentKit.SemanticKernel.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Tests.DependencyInjection;

public sealed class AgentKitBuilderTests : IDisposable
{
    private readonly TestIndex _index = new();

    public void Dispose() => _index.Dispose();

    /// <summary>A user tool with a dependency the container supplies.</summary>
    public sealed class CountTool(IPassageSearcher searcher) : IAgentTool
    {
        public ToolDefinition Definition { get; } = new("CountHits", "Counts passages matching a query.", [new ToolParameter("query", "string", "Query.")], "int");

        public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult<JsonNode?>(searcher.Search(arguments[0].GetString()!, 100).Count);
    }

    private sealed class ConstantTool(string name) : IAgentTool
    {
        public ToolDefinition Definition { get; } = new(name, "Returns 1.", [], "int");

        public ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken) => ValueTask.FromResult<JsonNode?>(1);
    }

    [Fact]
    public async Task Service_provider_resolves_every_registered_tool()
    {
        var services = new ServiceCollection();
        services.AddAgentKit()
            .AddLuceneSearch(_index.Directory)
            .AddTool(new ConstantTool("One"))
            .AddTool<CountTool>()
            .AddKernelPlugin(KernelPluginFactory.CreateFromObject(new CalendarPlugin(), "Calendar"));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var tools = provider.GetServices<IAgentTool>().ToList();

        Assert.Equal(
            ["AddDays", "CountHits", "Echo", "Fail", "GetForecast", "IsWeekend", "KernelValue", "Mean", "One", "Search", "Split", "Sum"],
            tools.Select(t => t.Definition.Name).Order(StringComparer.Ordinal));
        var search = Assert.IsType<SearchTool>(tools.Single(t => t.Definition.Name == "Search"));
        var hits = await search.InvokeAsync([JsonSerializer.SerializeToElement("capital of Peru")], CancellationToken.None);
        Assert.Equal("lima", hits![0]!["Id"]!.GetValue<string>());
        var count = await tools.Single(t => t.Definition.Name == "CountHits").InvokeAsync([JsonSerializer.SerializeToElement("capital")], CancellationToken.None);
        Assert.Equal(2, count!.GetValue<int>());
        Assert.Same(provider.GetRequiredService<LuceneSearcher>(), provider.GetRequiredService<IPassageSearcher>());
    }

    [Fact]
    public async Task Kernel_plugin_tools_use_the_container_kernel()
    {
        var services = new ServiceCollection();
        var kernel = new Kernel();
        kernel.Data["region"] = "Andes";
        services.AddSingleton(kernel);
        services.AddAgentKit().AddKernelPlugin(KernelPluginFactory.CreateFromObject(new CalendarPlugin(), "Calendar"));
        await using var provider = services.BuildServiceProvider();

        var tool = provider.GetServices<IAgentTool>().Single(t => t.Definition.Name == "KernelValue");

        Assert.Equal("Andes", (await tool.InvokeAsync([JsonSerializer.SerializeToElement("region")], CancellationToken.None))!.GetValue<string>());
    }

    [Fact]
    public async Task Added_agent_gets_its_named_tools_and_answers()
    {
        var sandbox = new PatternSandbox();
        var services = new ServiceCollection();
        services.AddSingleton<ICandidateGenerator>(ScriptedCandidateGenerator.FromReplies(
            [TestAgents.Action("FinalAnswer(Search(\"largest city of Peru\", 1)[0].Title);")]));
        services.AddSingleton<ICodeSandbox>(sandbox);
        services.AddAgentKit()
            .AddLuceneSearch(_index.Directory)
            .AddTool(new ConstantTool("One"))
            .AddAgent(TestAgents.Definition("researcher", "Search"));
        await using var provider = services.BuildServiceProvider();

        var agent = provider.GetRequiredService<Agent>();
        var result = await agent.RunAsync("Which city is the largest in Peru?");

        Assert.Same(agent, provider.GetRequiredKeyedService<Agent>("researcher"));
        Assert.Equal("Lima", result.FinalAnswer);
        Assert.Equal(["Search"], Assert.Single(sandbox.SessionTools)); // "One" is registered but not the agent's
    }

    [Fact]
    public async Task Mentions_tool_finds_the_passages_a_text_names_in_the_registered_index()
    {
        var services = new ServiceCollection();
        services.AddAgentKit().AddLuceneSearch(_index.Directory).AddMentions(new MentionsToolOptions { MaxResults = 5 });
        await using var provider = services.BuildServiceProvider();

        var mentions = Assert.IsType<MentionsTool>(provider.GetServices<IAgentTool>().Single(t => t.Definition.Name == "Mentions"));
        var found = await mentions.InvokeAsync([JsonSerializer.SerializeToElement("Is Paris bigger than Lima?")], CancellationToken.None);

        Assert.Equal(["paris", "lima"], found!.AsArray().Select(p => p!["Id"]!.GetValue<string>()));
    }

    [Fact]
    public void Mentions_without_an_index_or_with_bad_options_fails_at_registration()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddAgentKit().AddMentions());
        Assert.Contains("AddLuceneSearch", ex.Message);
        var builder = new ServiceCollection().AddAgentKit().AddLuceneSearch(_index.Directory);
        Assert.Throws<ArgumentException>(() => builder.AddMentions(new MentionsToolOptions { MaxResults = 0 }));
    }

    [Fact]
    public async Task Agent_missing_a_tool_fails_on_resolve_with_the_agents_message()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ICandidateGenerator>(ScriptedCandidateGenerator.FromReplies());
        services.AddSingleton<ICodeSandbox>(new PatternSandbox());
        services.AddAgentKit().AddAgent(TestAgents.Definition("researcher", "Search"));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<Agent>());
        Assert.Contains("needs tool(s) Search", ex.Message);
    }

    [Fact]
    public async Task Disposing_the_provider_closes_the_index()
    {
        var services = new ServiceCollection();
        services.AddAgentKit().AddLuceneSearch(_index.Directory);
        var provider = services.BuildServiceProvider();
        var searcher = provider.GetRequiredService<LuceneSearcher>();

        await provider.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => searcher.Search("Peru", 1));
    }

    [Fact]
    public void Configuration_mistakes_fail_at_registration()
    {
        var builder = new ServiceCollection().AddAgentKit();

        Assert.Throws<ArgumentException>(() => builder.AddLuceneSearch(_index.Directory, new LuceneSearchOptions { TitleBoost = -1 }));
        Assert.Throws<ArgumentException>(() => builder.AddLuceneSearch(_index.Directory, toolOptions: new SearchToolOptions { MaxK = 0 }));
        builder.AddLuceneSearch(_index.Directory);
        Assert.Throws<InvalidOperationException>(() => builder.AddLuceneSearch(_index.Directory));
        Assert.Throws<NotSupportedException>(() => builder.AddKernelPlugin(KernelPluginFactory.CreateFromObject(new UnsupportedPlugin(), "Clock")));
        Assert.Throws<ArgumentException>(() => builder.AddAgent(TestAgents.Definition("bad name!")));
    }

    [Fact]
    public async Task Missing_index_is_reported_when_search_is_first_used()
    {
        var services = new ServiceCollection();
        services.AddAgentKit().AddLuceneSearch(Path.Combine(_index.Directory, "missing"));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<DirectoryNotFoundException>(() => provider.GetServices<IAgentTool>().ToList());
        Assert.Contains("Index directory not found", ex.Message);
    }
}
