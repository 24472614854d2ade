// Run:  dotnet run --project examples/SemanticKernelApp
//       dotnet run --project examples/SemanticKernelApp -- --endpoint http://127.0.0.1:8080/v1 --model-name qwen2.5-7b-instruct
//
// Semantic Kernel both ways: a kernel plugin (UnitsPlugin) becomes a tool the agent's C# code calls, and the agent
// becomes a kernel function ("Agents.Calculator") that any SK orchestration can invoke. Without --endpoint a
// scripted model plays the agent's part, so the round trip kernel -> agent -> sandbox -> plugin runs anywhere.
using System.ComponentModel;
using AgentKit.Abstractions.Models;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Sandbox;
using AgentKit.SemanticKernel.Agents;
using AgentKit.SemanticKernel.Plugins;
using Microsoft.SemanticKernel;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var endpoint = Option("--endpoint");

var kernel = new Kernel();
var units = kernel.Plugins.AddFromType<UnitsPlugin>("Units");

// The plugin's functions as agent tools: double KmToMiles(double km), double CelsiusToFahrenheit(double celsius).
var tools = KernelPluginTools.FromPlugin(units, kernel);
foreach (var tool in tools)
    Console.WriteLine($"tool: {tool.Definition.Signature}");

ICandidateGenerator model = endpoint is not null
    ? new OpenAICompatibleGenerator(new OpenAICompatibleOptions { Endpoint = new Uri(endpoint), Model = Option("--model-name") ?? "default" })
    : ScriptedCandidateGenerator.FromReplies(
        ["Thought: Convert the marathon distance with the Units tool.\n```csharp\nvar miles = KmToMiles(42.195);\nFinalAnswer(Math.Round(miles, 2));\n```"]);

await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
var agent = new Agent(
    new AgentDefinition
    {
        Name = "calculator",
        Instructions = "You answer unit questions by calling the conversion functions from C# code.",
        Tools = [.. tools.Select(t => t.Definition.Name)],
        Model = endpoint is not null ? new AgentModelOptions { Endpoint = endpoint, Name = Option("--model-name") ?? "default" } : new AgentModelOptions { Path = "scripted" },
        Grammar = false,
    },
    model, sandbox, tools);

// The agent as a kernel function, invoked like any other.
kernel.Plugins.AddFromFunctions("Agents", [AgentKernelFunction.Create(agent, "Calculator", "Answers questions about units and conversions.")]);
var answer = await kernel.InvokeAsync<string>("Agents", "Calculator", new() { ["question"] = "How many miles is a marathon (42.195 km)?" });
Console.WriteLine($"answer: {answer}");
return string.IsNullOrEmpty(answer) ? 1 : 0;

/// <summary>An ordinary Semantic Kernel plugin.</summary>
public sealed class UnitsPlugin
{
    /// <summary>Kilometres to miles.</summary>
    [KernelFunction, Description("Converts kilometres to miles.")]
    public double KmToMiles([Description("Distance in kilometres")] double km) => km / 1.609344;

    /// <summary>Celsius to Fahrenheit.</summary>
    [KernelFunction, Description("Converts degrees Celsius to degrees Fahrenheit.")]
    public double CelsiusToFahrenheit([Description("Temperature in °C")] double celsius) => celsius * 9 / 5 + 32;
}
