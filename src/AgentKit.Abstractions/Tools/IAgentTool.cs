using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Abstractions.Tools;

/// <summary>A host-side tool callable from agent code.</summary>
public interface IAgentTool
{
    /// <summary>How the tool looks to agent code and to the model.</summary>
    ToolDefinition Definition { get; }

    /// <summary>
    /// Runs the tool. <paramref name="arguments"/> are in <see cref="ToolDefinition.Parameters"/> order,
    /// defaults already applied. The result is deserialised into <see cref="ToolDefinition.ReturnType"/>
    /// on the script side. Throw <see cref="ToolException"/> for errors the agent should read.
    /// </summary>
    ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken);
}

/// <summary>An error the tool reports to the agent; its message becomes the exception message in the script.</summary>
public sealed class ToolException : Exception
{
    /// <summary>Creates the exception with the message the agent will see.</summary>
    public ToolException(string message) : base(message) { }

    /// <summary>Creates the exception with the message the agent will see and its cause.</summary>
    public ToolException(string message, Exception innerException) : base(message, innerException) { }
}
