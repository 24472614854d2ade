// Run:  dotnet run --project examples/EmbedAgent
//       dotnet run --project examples/EmbedAgent -- --question "What is the population of Chile?"
//       dotnet run --project examples/EmbedAgent -- --agent path/to/agent --seed 3
//
// Embeds the shipped default agent, atlas, in an app with dependency injection: its distilled GGUF (run by
// LLamaSharp), a Lucene index of its corpus with the Search and Mentions tools over it, and the out-of-process C#
// sandbox, registered with services.AddAgentKit(); the app resolves the Agent, asks it a question and prints each
// step (the model's code and what running it showed) and the answer.
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Models.LlamaSharp;
using AgentKit.Retrieval.Indexing;
using AgentKit.Sandbox;
using AgentKit.SemanticKernel.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var agentFolder = Option("--agent") ?? Path.Combine("agents", "atlas");
var question = Option("--question") ?? "What is the capital of Peru?";
// A fixed sampling seed makes the run repeatable; the agent's own temperature and top-p still apply.
var seed = int.Parse(Option("--seed") ?? "1", System.Globalization.CultureInfo.InvariantCulture);

// 1. The agent's definition (prompt, tools, sampling, step limit) and model file, from its folder.
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
var modelPath = atlas.ModelPath ?? throw new InvalidOperationException($"{agentFolder}: agent.json names no model file.");
var definition = atlas.Definition with { Sampling = atlas.Definition.Sampling with { Seed = seed } };

// 2. An index of its corpus (an app would build it once, e.g. with `agentkit index`, and keep it).
var indexDirectory = Path.Combine(Path.GetTempPath(), "agentkit-embed-" + Guid.NewGuid().ToString("N"));
new LuceneIndexBuilder().BuildFromFile(atlas.ResolvePath("corpus.jsonl"), indexDirectory);
try
{
    // 3. Services: the sandbox, the model, the tools over the index, and the agent.
    await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
    var services = new ServiceCollection();
    services.AddSingleton<ICodeSandbox>(sandbox);
    // Registered as a factory so the container owns (and disposes) the loaded model.
    services.AddSingleton<ICandidateGenerator>(_ => new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = modelPath }));
    services.AddAgentKit()
        .AddLuceneSearch(indexDirectory)
        .AddMentions()
        .AddAgent(definition);
    await using var provider = services.BuildServiceProvider();

    // 4. Ask.
    var agent = provider.GetRequiredService<Agent>();
    var result = await agent.RunAsync(question);
    Console.WriteLine($"question: {question}\n");
    foreach (var step in result.Steps.OfType<ActionStep>())
        Console.WriteLine($"step {step.Step}:\n{step.Action}\nobservation: {step.Observation}\n");
    Console.WriteLine($"answer: {result.FinalAnswer} ({result.Outcome}, {result.ActionSteps} action step(s))");
    return result.FinalAnswer is null ? 1 : 0;
}
finally
{
    Directory.Delete(indexDirectory, recursive: true);
}
