using System.Text;
using System.Text.RegularExpressions;
using AgentKit.Abstractions.Tools;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// Generates the C# that makes tools callable from agent code: the tools' type declarations plus one function
/// per tool with the tool's own signature, whose body forwards the call to the host.
/// </summary>
internal static partial class ToolPrelude
{
    /// <summary>Returns the prelude for <paramref name="tools"/>, or null when there are none.</summary>
    public static string? Build(IReadOnlyList<IAgentTool> tools)
    {
        if (tools.Count == 0) return null;
        var code = new StringBuilder();
        var seenDeclarations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            // Two tools of one pack often share their records: declare each block once.
            if (tool.Definition.TypeDeclarations is { Length: > 0 } declarations && seenDeclarations.Add(declarations.Trim()))
                code.AppendLine(declarations);
        }
        foreach (var definition in tools.Select(t => t.Definition))
        {
            var parameters = string.Join(", ", definition.Parameters.Select(p =>
                p.DefaultValue is null ? $"{p.Type} @{p.Name}" : $"{p.Type} @{p.Name} = {p.DefaultValue}"));
            // An explicit array: a single array argument must not be taken as the params array itself.
            var arguments = $"new object[] {{ {string.Join(", ", definition.Parameters.Select(p => "@" + p.Name))} }}";
            var call = definition.ReturnType.Trim() == "void"
                ? $"AgentKitCallToolVoid(\"{definition.Name}\", {arguments})"
                : $"AgentKitCallTool<{definition.ReturnType}>(\"{definition.Name}\", {arguments})";
            code.AppendLine($"{definition.ReturnType} {definition.Name}({parameters}) => {call};");
        }
        return code.ToString();
    }

    /// <summary>Checks names before any code is generated from them; throws <see cref="ArgumentException"/>.</summary>
    public static Dictionary<string, IAgentTool> Index(IReadOnlyList<IAgentTool> tools)
    {
        var byName = new Dictionary<string, IAgentTool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            ArgumentNullException.ThrowIfNull(tool, nameof(tools));
            var definition = tool.Definition ?? throw new ArgumentException("A tool has no definition.", nameof(tools));
            if (!Identifier().IsMatch(definition.Name))
                throw new ArgumentException($"Tool name '{definition.Name}' is not a C# identifier.", nameof(tools));
            if (definition.Name is "FinalAnswer" || definition.Name.StartsWith("AgentKit", StringComparison.Ordinal))
                throw new ArgumentException($"Tool name '{definition.Name}' is reserved by the sandbox.", nameof(tools));
            if (!byName.TryAdd(definition.Name, tool))
                throw new ArgumentException($"Two tools are named '{definition.Name}'.", nameof(tools));
            foreach (var parameter in definition.Parameters)
            {
                if (!Identifier().IsMatch(parameter.Name))
                    throw new ArgumentException($"Parameter '{parameter.Name}' of tool '{definition.Name}' is not a C# identifier.", nameof(tools));
            }
        }
        return byName;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
