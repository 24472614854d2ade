namespace AgentKit.Abstractions.Tools;

/// <summary>One parameter of a tool, as the agent's code sees it.</summary>
/// <param name="Name">C# identifier of the parameter.</param>
/// <param name="Type">C# type of the parameter: a JSON-serialisable type such as <c>string</c>, <c>int</c>, <c>double</c>, <c>bool</c>, <c>string[]</c>.</param>
/// <param name="Description">What the parameter means (shown to the model).</param>
/// <param name="DefaultValue">C# literal used when the caller omits it, or null when required.</param>
public sealed record ToolParameter(string Name, string Type, string Description, string? DefaultValue = null);

/// <summary>
/// A tool that agent code calls as an ordinary function (<c>var hits = Search("capital of Peru", 3);</c>).
/// Arguments and results cross the sandbox boundary as JSON.
/// </summary>
/// <param name="Name">C# identifier of the function.</param>
/// <param name="Description">What the tool does (shown to the model).</param>
/// <param name="Parameters">Parameters in call order.</param>
/// <param name="ReturnType">C# return type (<c>void</c> allowed); may name types from <paramref name="TypeDeclarations"/>.</param>
/// <param name="TypeDeclarations">C# declarations (e.g. records) the return type needs, compiled into the agent's code context.</param>
/// <param name="HasSideEffects">
/// True when a call changes something outside the agent's code (sends, writes, charges). While a step's candidate
/// actions are tried side by side, such a tool never runs for a candidate that may be discarded: a <c>void</c> one is
/// recorded and runs once the chosen candidate is committed; one that returns a value is refused in the candidates,
/// and the chosen candidate runs again for real when it is committed. Read-only tools (the default) run once per distinct call of a try, the candidates sharing the answer.
/// </param>
public sealed record ToolDefinition(
    string Name,
    string Description,
    IReadOnlyList<ToolParameter> Parameters,
    string ReturnType,
    string? TypeDeclarations = null,
    bool HasSideEffects = false)
{
    /// <summary>The C# signature, e.g. <c>Passage[] Search(string query, int k = 3)</c>, used in prompts.</summary>
    public string Signature =>
        $"{ReturnType} {Name}({string.Join(", ", Parameters.Select(p => p.DefaultValue is null ? $"{p.Type} {p.Name}" : $"{p.Type} {p.Name} = {p.DefaultValue}"))})";
}
