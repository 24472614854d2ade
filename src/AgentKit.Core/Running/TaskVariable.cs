using AgentKit.Core.Actions;

namespace AgentKit.Core.Running;

/// <summary>
/// The statement that puts the task text into the agent's code session as a string variable
/// (<see cref="Definitions.AgentDefinition.TaskVariable"/>), run once before the first action.
/// </summary>
internal static class TaskVariable
{
    /// <summary><c>var name = "…";</c> with <paramref name="text"/> as an exact C# string literal.</summary>
    public static string Declaration(string name, string text) => $"var {name} = {CSharpLiteral.Of(text)};";
}
