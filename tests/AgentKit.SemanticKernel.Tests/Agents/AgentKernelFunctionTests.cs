using AgentKit.Core;
using AgentKit.Core.Models;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;
using AgentKit.SemanticKernel.Agents;
using AgentKit.SemanticKernel.Plugins;
using AgentKit.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Tests.Agents;

public sealed class AgentKernelFunctionTests : IDisposable
{
    private readonly TestIndex _index = new();
    private readonly LuceneSearcher _searcher;

    public AgentKernelFunctionTests() => _searcher = LuceneSearcher.Open(_index.Directory);

    public void Dispose()
    {
        _searcher.Dispose();
        _index.Dispose();
    }

    private Agent SearchAgent(ScriptedCandidateGenerator model) =>
        new(TestAgents.Definition("researcher", "Search"), model, new PatternSandbox(), [new SearchTool(_searcher)]);

    [Fact]
    public async Task Kernel_invocation_runs_the_agent_and_returns_its_final_answer()
    {
        var model = ScriptedCandidateGenerator.FromReplies([TestAgents.Action("FinalAnswer(Search(\"capital of Peru\", 1)[0].Title);")]);
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Agents", [AgentKernelFunction.Create(SearchAgent(model), "Researcher", "Answers questions from the corpus.")]);

        var result = await kernel.InvokeAsync("Agents", "Researcher", new KernelArguments { ["question"] = "What is the capital of Peru?" });

        Assert.Equal("Lima", result.GetValue<string>());
        // The question reached the model as the agent's task.
        var request = Assert.Single(model.Requests);
        Assert.Contains("What is the capital of Peru?", string.Join("\n", request.Messages!.Select(m => m.Text)));
    }

    [Fact]
    public void Metadata_describes_one_required_string_question()
    {
        var model = ScriptedCandidateGenerator.FromReplies();
        var function = AgentKernelFunction.Create(SearchAgent(model), "Researcher", "Answers questions from the corpus.");

        Assert.Equal("Researcher", function.Name);
        Assert.Equal("Answers questions from the corpus.", function.Description);
        var parameter = Assert.Single(function.Metadata.Parameters);
        Assert.Equal(("question", true, typeof(string)), (parameter.Name, parameter.IsRequired, parameter.ParameterType));
        // An agent function is itself usable as a tool of another agent.
        Assert.Equal("string Researcher(string question)", KernelPluginTools.FromFunction(function).Definition.Signature);
    }

    [Fact]
    public async Task Run_reaching_the_step_limit_returns_the_plain_answer()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [TestAgents.Action("Console.WriteLine(1);")],
            [TestAgents.Action("Console.WriteLine(2);")],
            ["Final answer: I could not find it."]);
        var function = AgentKernelFunction.Create(SearchAgent(model), "Researcher", "Answers questions.");

        var result = await function.InvokeAsync(new Kernel(), new KernelArguments { ["question"] = "Where is Atlantis?" });

        Assert.Equal("I could not find it.", result.GetValue<string>());
    }

    [Fact]
    public async Task Cancellation_cancels_the_run()
    {
        var model = ScriptedCandidateGenerator.FromReplies([TestAgents.Action("FinalAnswer(\"x\");")]);
        var function = AgentKernelFunction.Create(SearchAgent(model), "Researcher", "Answers questions.");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            function.InvokeAsync(new Kernel(), new KernelArguments { ["question"] = "q" }, cts.Token));
        Assert.Empty(model.Requests);
    }

    [Theory]
    [InlineData("research agent", "Answers.")]
    [InlineData("1st", "Answers.")]
    [InlineData("Researcher", " ")]
    public void Invalid_name_or_description_is_rejected(string name, string description)
    {
        Assert.Throws<ArgumentException>(() => AgentKernelFunction.Create(SearchAgent(ScriptedCandidateGenerator.FromReplies()), name, description));
    }
}
