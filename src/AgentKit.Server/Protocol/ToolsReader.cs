using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentKit.Server.Tools;
using static AgentKit.Server.Protocol.JsonFields;

namespace AgentKit.Server.Protocol;

/// <summary>Reads <c>tools</c> and <c>tool_choice</c> of a chat completion request.</summary>
internal static partial class ToolsReader
{
    private const int MaxTools = 128;

    public static ToolSet Read(JsonElement root)
    {
        var tools = ReadTools(root);
        var choice = Optional(root, "tool_choice");
        if (choice is null)
            return new ToolSet(tools, tools.Count > 0 ? ToolChoiceMode.Auto : ToolChoiceMode.None);
        if (tools.Count == 0)
            throw ApiError.InvalidValue("tool_choice", "'tool_choice' is only allowed when 'tools' are given.");

        if (choice.Value.ValueKind == JsonValueKind.String)
        {
            return Text(choice.Value, "tool_choice") switch
            {
                "none" => new ToolSet(tools, ToolChoiceMode.None),
                "auto" => new ToolSet(tools, ToolChoiceMode.Auto),
                "required" => new ToolSet(tools, ToolChoiceMode.Required),
                var other => throw ApiError.InvalidValue("tool_choice", $"Unknown 'tool_choice' '{other}'; expected none, auto, required or {{\"type\":\"function\",\"function\":{{\"name\":…}}}}."),
            };
        }
        if (choice.Value.ValueKind != JsonValueKind.Object
            || Optional(choice.Value, "function") is not { ValueKind: JsonValueKind.Object } function
            || String(function, "name", "tool_choice.function.name") is not { } name)
            throw ApiError.InvalidValue("tool_choice", "'tool_choice' must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":…}}.");
        if (tools.All(t => t.Name != name))
            throw ApiError.InvalidValue("tool_choice", $"'tool_choice' names '{name}', which is not one of the tools ({string.Join(", ", tools.Select(t => t.Name))}).");
        return new ToolSet(tools, ToolChoiceMode.Named, name);
    }

    private static List<ToolDefinition> ReadTools(JsonElement root)
    {
        if (Optional(root, "tools") is not { } array)
            return [];
        if (array.ValueKind != JsonValueKind.Array)
            throw ApiError.InvalidType("tools", "an array of tools");
        if (array.GetArrayLength() > MaxTools)
            throw ApiError.InvalidValue("tools", $"'tools' has {array.GetArrayLength()} tools; this server accepts at most {MaxTools}.");

        var tools = new List<ToolDefinition>();
        foreach (var item in array.EnumerateArray())
        {
            var param = $"tools[{tools.Count}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw ApiError.InvalidType(param, "a tool object");
            if (String(item, "type", $"{param}.type") is { } type && type != "function")
                throw ApiError.InvalidValue($"{param}.type", $"Only function tools are supported, got '{type}'.");
            if (Optional(item, "function") is not { } function)
                throw ApiError.Missing($"{param}.function");
            if (function.ValueKind != JsonValueKind.Object)
                throw ApiError.InvalidType($"{param}.function", "an object");
            var name = String(function, "name", $"{param}.function.name") ?? throw ApiError.Missing($"{param}.function.name");
            if (!FunctionName().IsMatch(name))
                throw ApiError.InvalidValue($"{param}.function.name", $"Function names are 1-64 letters, digits, '_' or '-', got '{name}'.");
            if (tools.Any(t => t.Name == name))
                throw ApiError.InvalidValue($"{param}.function.name", $"Two tools are named '{name}'.");
            var parameters = Optional(function, "parameters");
            if (parameters is { ValueKind: not JsonValueKind.Object })
                throw ApiError.InvalidType($"{param}.function.parameters", "a JSON schema object");
            tools.Add(new ToolDefinition(
                name,
                String(function, "description", $"{param}.function.description"),
                parameters is { } schema ? JsonNode.Parse(schema.GetRawText())!.AsObject() : null));
        }
        return tools;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();
}
