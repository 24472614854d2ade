// Run:  dotnet run --project examples/SemanticKernelApp
//       dotnet run --project examples/SemanticKernelApp -- --question "Which country has the larger population, Chile or Peru?"
//
// Semantic Kernel both ways, with a real model (the shipped atlas GGUF, run by LLamaSharp): the app's own kernel
// plugin (AtlasPlugin: Mentions and Search over the atlas corpus) becomes the tools the agent's C# code calls, and the
// agent becomes a kernel function ("Agents.Atlas") that the kernel invokes like any other. The round trip is
// kernel -> agent -> model -> sandbox -> plugin -> answer.
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;
using AgentKit.Models.LlamaSharp;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Sandbox;
using AgentKit.SemanticKernel.Agents;
using AgentKit.SemanticKernel.Plugins;
using Microsoft.SemanticKernel;
using SemanticKernelExample;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var agentFolder = Option("--agent") ?? Path.Combine("agents", "atlas");
var question = Option("--question") ?? "What is the capital of Chile?";

LoadedAgent atlas;
try
{
    atlas = AgentDefinitionLoader.Load(agentFolder);
}
catch (Exception ex) when (ex is InvalidDataException or IOException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
// A fixed sampling seed makes the run repeatable.
var definition = atlas.Definition with { Sampling = atlas.Definition.Sampling with { Seed = 1 } };

var indexDirectory = Path.Combine(Path.GetTempPath(), "agentkit-sk-example-" + Guid.NewGuid().ToString("N"));
new LuceneIndexBuilder().BuildFromFile(atlas.ResolvePath("corpus.jsonl"), indexDirectory);
try
{
    using var searcher = LuceneSearcher.Open(indexDirectory);
    var kernel = new Kernel();
    var data = kernel.Plugins.AddFromObject(new AtlasPlugin(searcher), "Atlas");

    // The plugin's functions as agent tools, in the order the agent names them; typed results, so agent code gets
    // Passage[] and reads .Title and .Text.
    var pluginTools = KernelPluginTools.FromPlugin(data, kernel, new KernelPluginToolOptions { TypedRecordResults = true });
    var tools = definition.Tools.Select(name => pluginTools.Single(t => t.Definition.Name == name)).ToList();
    foreach (var tool in tools)
        Console.WriteLine($"tool from the kernel plugin: {tool.Definition.Signature}");

    using var model = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = atlas.ModelPath! });
    await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
    var log = new StepLog();
    var agent = new Agent(definition, model, sandbox, tools, new AgentRunOptions { Progress = log });

    // The agent as a kernel function, invoked like any other.
    kernel.Plugins.AddFromFunctions("Agents", [AgentKernelFunction.Create(agent, "Atlas", "Answers questions about the countries of the world.")]);
    var answer = await kernel.InvokeAsync<string>("Agents", "Atlas", new() { [AgentKernelFunction.QuestionParameter] = question });

    Console.WriteLine($"\nquestion: {question}\n");
    foreach (var step in log.Steps)
        Console.WriteLine($"step {step.Step}:\n{step.Action}\nobservation: {step.Observation}\n");
    Console.WriteLine($"answer: {answer}");
    return string.IsNullOrEmpty(answer) ? 1 : 0;
}
finally
{
    Directory.Delete(indexDirectory, recursive: true);
}
