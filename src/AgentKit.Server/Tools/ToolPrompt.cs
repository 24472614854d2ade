using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentKit.Server.Tools;

/// <summary>
/// Puts tools into the prompt in the Hermes format that Qwen2.5 and most ChatML-trained models were tuned on:
/// the signatures in <c>&lt;tools&gt;</c> in the system message, calls as <c>&lt;tool_call&gt;{"name":…,"arguments":…}&lt;/tool_call&gt;</c>
/// in assistant turns, results as <c>&lt;tool_response&gt;…&lt;/tool_response&gt;</c> in tool turns. llama.cpp's
/// template engine renders plain text only, so the tool parts are written into the message text here.
/// </summary>
internal static class ToolPrompt
{
    public const string CallOpen = "<tool_call>";
    public const string CallClose = "</tool_call>";

    /// <summary>The messages with the tools described in the system message (added first when there is none).</summary>
    public static List<ChatMessage> WithTools(IReadOnlyList<ChatMessage> messages, ToolSet tools)
    {
        var result = messages.ToList();
        if (!tools.Active)
            return result;
        var description = Describe(tools);
        if (result.Count > 0 && result[0].Role == ChatRole.System)
            result[0] = new ChatMessage(ChatRole.System, result[0].Text + "\n\n" + description);
        else
            result.Insert(0, new ChatMessage(ChatRole.System, description));
        return result;
    }

    /// <summary>An assistant turn's text: its content followed by its calls, as the model would have written them.</summary>
    public static string AssistantTurn(string content, IEnumerable<(string Name, string Arguments)> calls)
    {
        var text = new StringBuilder(content);
        foreach (var (name, arguments) in calls)
        {
            if (text.Length > 0)
                text.Append('\n');
            var call = new JsonObject { ["name"] = name, ["arguments"] = ParseOrString(arguments) };
            text.Append(CallOpen).Append('\n').Append(call.ToJsonString()).Append('\n').Append(CallClose);
        }
        return text.ToString();
    }

    /// <summary>A tool turn's text.</summary>
    public static string ToolResult(string content) => $"<tool_response>\n{content}\n</tool_response>";

    private static string Describe(ToolSet tools)
    {
        var text = new StringBuilder("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n")
            .Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n");
        foreach (var tool in tools.Tools)
        {
            var function = new JsonObject { ["name"] = tool.Name };
            if (tool.Description is not null)
                function["description"] = tool.Description;
            function["parameters"] = tool.Parameters?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            text.Append(new JsonObject { ["type"] = "function", ["function"] = function }.ToJsonString()).Append('\n');
        }
        text.Append("</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n")
            .Append("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        if (tools.Mode == ToolChoiceMode.Required)
            text.Append("\n\nYou must call one of these functions.");
        else if (tools.Mode == ToolChoiceMode.Named)
            text.Append($"\n\nYou must call the function {tools.Forced}.");
        return text.ToString();
    }

    /// <summary>Arguments are JSON text; one that is not is kept as a string rather than refused (the model wrote it).</summary>
    private static JsonNode? ParseOrString(string arguments)
    {
        try
        {
            return JsonNode.Parse(arguments);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(arguments);
        }
    }
}
