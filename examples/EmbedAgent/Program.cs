// Run:  dotnet run --project examples/EmbedAgent
//       dotnet run --project examples/EmbedAgent -- --endpoint http://127.0.0.1:8080/v1 --model-name qwen2.5-7b-instruct
//       dotnet run --project examples/EmbedAgent -- --gguf models/qwen2.5-0.5b-instruct-q4_k_m.gguf
//
// Embeds a search agent in an app with dependency injection: index a corpus, register the Search tool, a model
// and the C# sandbox, resolve the Agent and ask it a question. Without a model option, a scripted model plays the
// agent's part so the whole pipeline (Lucene, sandbox, tool call, answer) runs anywhere.
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;
using AgentKit.Sandbox;
using AgentKit.SemanticKernel.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var endpoint = Option("--endpoint");
var gguf = Option("--gguf");
var question = Option("--question") ?? "What is the capital of Peru?";

// 1. A corpus and its index (an app would build the index once, e.g. with `agentkit index`).
var indexDirectory = Path.Combine(Path.GetTempPath(), "agentkit-embed-example-index");
new LuceneIndexBuilder().Build(
[
    new CorpusDocument("lima", "Lima", "Lima is the capital and largest city of Peru, on the Pacific coast."),
    new CorpusDocument("cusco", "Cusco", "Cusco was the capital of the Inca Empire."),
    new CorpusDocument("paris", "Paris", "Paris is the capital of France."),
], indexDirectory);

// 2. The model: an OpenAI-compatible server, a local GGUF file, or a scripted stand-in.
ICandidateGenerator model = endpoint is not null
    ? new OpenAICompatibleGenerator(new OpenAICompatibleOptions { Endpoint = new Uri(endpoint), Model = Option("--model-name") ?? "default" })
    : gguf is not null
        ? new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = gguf })
        : ScriptedCandidateGenerator.FromReplies(
            ["Thought: The corpus should know; search it and answer with the best title.\n```csharp\nvar hits = Search(\"capital of Peru\", 2);\nConsole.WriteLine(hits.Length);\nFinalAnswer(hits[0].Title);\n```"]);

// 3. Services: sandbox, model, search and the agent.
await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
var services = new ServiceCollection();
services.AddSingleton<ICodeSandbox>(sandbox);
services.AddSingleton(model);
services.AddAgentKit()
    .AddLuceneSearch(indexDirectory)
    .AddAgent(new AgentDefinition
    {
        Name = "researcher",
        Instructions = "You answer questions by searching the corpus with C# code.",
        Tools = ["Search"],
        Model = endpoint is not null ? new AgentModelOptions { Endpoint = endpoint, Name = Option("--model-name") ?? "default" } : new AgentModelOptions { Path = gguf ?? "scripted" },
        Grammar = gguf is not null, // GBNF needs the local backend
        MaxSteps = 4,
    });
await using var provider = services.BuildServiceProvider();

// 4. Ask.
var agent = provider.GetRequiredService<Agent>();
var result = await agent.RunAsync(question);
foreach (var step in result.Steps.OfType<AgentKit.Abstractions.Trajectories.ActionStep>())
    Console.WriteLine($"step {step.Step}:\n{step.Action}\nobservation: {step.Observation}\n");
Console.WriteLine($"answer: {result.FinalAnswer} ({result.Outcome}, {result.ActionSteps} action step(s))");
return result.FinalAnswer is null ? 1 : 0;
