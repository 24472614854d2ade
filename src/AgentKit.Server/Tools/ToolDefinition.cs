using System.Text.Json.Nodes;

namespace AgentKit.Server.Tools;

/// <summary>A function the client offers the model (<c>tools[i].function</c>).</summary>
/// <param name="Name">Function name (letters, digits, <c>_</c> and <c>-</c>, at most 64).</param>
/// <param name="Description">What the function does, shown to the model; may be null.</param>
/// <param name="Parameters">JSON schema of the arguments object; null for a function without parameters.</param>
internal sealed record ToolDefinition(string Name, string? Description, JsonObject? Parameters);

/// <summary>How the model may use the tools (<c>tool_choice</c>).</summary>
internal enum ToolChoiceMode
{
    /// <summary>Tools are not shown to the model and its output is plain text.</summary>
    None,

    /// <summary>The model decides; calls it makes are parsed out of its text.</summary>
    Auto,

    /// <summary>The model must call one of the tools: its output is constrained to one call.</summary>
    Required,

    /// <summary>The model must call the named tool: its output is constrained to one call of it.</summary>
    Named,
}

/// <summary>The tools of a request and how they may be used.</summary>
/// <param name="Tools">The offered functions, in request order.</param>
/// <param name="Mode">The <c>tool_choice</c>.</param>
/// <param name="Forced">For <see cref="ToolChoiceMode.Named"/>, the function that must be called.</param>
internal sealed record ToolSet(IReadOnlyList<ToolDefinition> Tools, ToolChoiceMode Mode, string? Forced = null)
{
    /// <summary>True when the model sees the tools and its output is parsed for calls.</summary>
    public bool Active => Tools.Count > 0 && Mode != ToolChoiceMode.None;
}

/// <summary>A call the model made.</summary>
/// <param name="Id">Call id (<c>call_</c> and 24 hex digits), echoed back by the client in the tool message.</param>
/// <param name="Name">The function called.</param>
/// <param name="Arguments">The arguments object as compact JSON text (OpenAI sends arguments as a string).</param>
internal sealed record ToolCall(string Id, string Name, string Arguments)
{
    public static string NewId() => "call_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
