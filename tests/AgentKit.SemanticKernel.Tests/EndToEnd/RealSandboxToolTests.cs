using AgentKit.Abstractions.Execution;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;
using AgentKit.Sandbox;
using AgentKit.SemanticKernel.Plugins;
using AgentKit.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Tests.EndToEnd;

/// <summary>
/// Tool results crossing the real sandbox: the Search tool's JSON must deserialise into the Passage record it declares,
/// and kernel plugin functions must be callable from agent code with their mapped C# types.
/// </summary>
public sealed class RealSandboxToolTests(RealSandboxToolTests.Fixture fixture) : IClassFixture<RealSandboxToolTests.Fixture>
{
    /// <summary>One sandbox and index for the class: starting workers is the slow part.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TestIndex _index = new();

        public LuceneSearcher Searcher { get; private set; } = null!;

        public CodeSandbox Sandbox { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Searcher = LuceneSearcher.Open(_index.Directory);
            Sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
        }

        public async Task DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            Searcher.Dispose();
            _index.Dispose();
        }
    }

    private readonly LuceneSearcher _searcher = fixture.Searcher;
    private readonly CodeSandbox _sandbox = fixture.Sandbox;

    [Fact]
    public async Task Search_results_arrive_as_typed_passages_and_plugin_functions_are_callable()
    {
        var plugin = KernelPluginFactory.CreateFromObject(new CalendarPlugin(), "Calendar");
        var tools = KernelPluginTools.FromPlugin(plugin).Where(t => t.Definition.Name is "AddDays" or "Sum" or "GetForecast")
            .Append(new SearchTool(_searcher)).ToList();
        await using var session = await _sandbox.OpenSessionAsync(tools);

        var search = await session.ExecuteAsync("""
            Passage[] hits = Search("capital of Peru", 2);
            FinalAnswer($"{hits.Length}|{hits[0].Id}|{hits[0].Title}|{hits[0].Score > hits[1].Score}|{hits[1].Text}");
            """);
        Assert.True(search.Succeeded, search.Error);
        Assert.Equal("2|lima|Lima|True|Paris is the capital of France.", search.FinalAnswer);

        var plugins = await session.ExecuteAsync("""
            FinalAnswer(AddDays("2024-02-28", 2) + "|" + AddDays("2024-02-28") + "|" + Sum(new long[] { 1, 2, 3 }) + "|" + GetForecast("Lima", 1).Contains("\"city\":\"Lima\""));
            """);
        Assert.True(plugins.Succeeded, plugins.Error);
        Assert.Equal("2024-03-01|2024-02-29|6|True", plugins.FinalAnswer);
    }

    [Fact]
    public async Task Typed_record_results_arrive_as_the_declared_record()
    {
        var plugin = KernelPluginFactory.CreateFromObject(new CalendarPlugin(), "Calendar");
        var tools = KernelPluginTools.FromPlugin(plugin, null, new KernelPluginToolOptions { TypedRecordResults = true })
            .Where(t => t.Definition.Name is "GetForecast" or "AddDays").ToList();
        await using var session = await _sandbox.OpenSessionAsync(tools);

        var result = await session.ExecuteAsync("""
            Forecast f = GetForecast("Lima", 2);
            FinalAnswer($"{f.City}|{f.Days}|{f.HighsCelsius[1]}|{AddDays("2024-02-28", 2)}");
            """);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Lima|2|21.5|2024-03-01", result.FinalAnswer);
    }

    [Fact]
    public async Task Tool_errors_surface_as_exceptions_in_agent_code()
    {
        await using var session = await _sandbox.OpenSessionAsync([new SearchTool(_searcher)]);

        var result = await session.ExecuteAsync("""Search("Peru", 0);""");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Contains("k must be at least 1", result.Error);
    }
}
