using AgentKit.Core.Definitions;

namespace AgentKit.SemanticKernel.Tests.Support;

public static class TestAgents
{
    public static AgentDefinition Definition(string name, params string[] tools) => new()
    {
        Name = name,
        Tools = tools,
        Model = new AgentModelOptions { Path = "scripted.gguf" },
        MaxSteps = 2,
    };

    public static string Action(string code) => $"Thought: I know what to do.\n```csharp\n{code}\n```";
}
