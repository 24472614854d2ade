using System.Text;
using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Tools;
using Microsoft.Extensions.AI;
using static AgentKit.Server.Protocol.JsonFields;

namespace AgentKit.Server.Protocol;

/// <summary>A parsed <c>POST /v1/chat/completions</c> body.</summary>
/// <param name="Candidates">What to generate (tools already in the prompt, a forced call or JSON output as a grammar).</param>
/// <param name="Stream">True to answer with server-sent events.</param>
/// <param name="IncludeUsage">True to end a stream with a chunk carrying the usage figures.</param>
/// <param name="Tools">The offered tools; when active, outputs are split into content and tool calls.</param>
internal sealed record ChatCompletionCall(CandidateRequest Candidates, bool Stream, bool IncludeUsage, ToolSet Tools);

/// <summary>
/// Reads a chat completion request with OpenAI's parameter names and limits, raising <see cref="ApiError"/>
/// (400, naming the parameter) for anything unusable. Fields it does not know are ignored, as OpenAI
/// clients send many optional ones. <c>grammar</c> (GBNF, as in llama.cpp server) is an extension.
/// </summary>
internal static class ChatCompletionRequestReader
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    public static ChatCompletionCall Read(JsonElement root, ChatCompletionLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ApiError(400, "The request body must be a JSON object.", ApiError.InvalidRequestType);

        var sampling = SamplingReader.Read(root, limits);
        var messages = ReadMessages(root, limits.MaxMessages);
        var tools = ToolsReader.Read(root);
        var (stream, includeUsage) = SamplingReader.ReadStreaming(root);
        var grammar = Constraint(root, sampling.Grammar, tools);

        var request = sampling with
        {
            Prompt = null,
            Messages = ToolPrompt.WithTools(messages, tools),
            Grammar = grammar,
            TopLogprobs = ReadLogprobs(root),
        };
        return new ChatCompletionCall(request, stream, includeUsage, tools);
    }

    /// <summary>
    /// The grammar the output must follow: the request's own, <c>response_format</c> JSON, or a forced tool call;
    /// at most one of them, since two grammars cannot both hold.
    /// </summary>
    private static string? Constraint(JsonElement root, string? grammar, ToolSet tools)
    {
        var format = ResponseFormatReader.Read(root);
        if (format is not null && grammar is not null)
            throw ApiError.InvalidValue("response_format", "'response_format' cannot be combined with 'grammar'; send one of them.");
        var forced = tools.Active ? ToolCallGrammar.For(tools) : null;
        if (forced is not null && (format ?? grammar) is not null)
            throw ApiError.InvalidValue("tool_choice", "A forced tool call cannot be combined with 'response_format' or 'grammar'.");
        return forced ?? format ?? grammar;
    }

    /// <summary><c>logprobs</c> (bool) and <c>top_logprobs</c> (0-20, only with logprobs) as a <see cref="CandidateRequest.TopLogprobs"/>.</summary>
    private static int? ReadLogprobs(JsonElement root)
    {
        var logprobs = Bool(root, "logprobs") ?? false;
        var top = Int(root, "top_logprobs");
        if (top is < 0 or > 20)
            throw ApiError.InvalidValue("top_logprobs", $"'top_logprobs' must be between 0 and 20, got {top}.");
        if (top is not null && !logprobs)
            throw ApiError.InvalidValue("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.");
        return logprobs ? top ?? 0 : null;
    }

    private static List<ChatMessage> ReadMessages(JsonElement root, int maxMessages)
    {
        var array = Optional(root, "messages") ?? throw ApiError.Missing("messages");
        if (array.ValueKind != JsonValueKind.Array)
            throw ApiError.InvalidType("messages", "an array of message objects");
        if (array.GetArrayLength() == 0)
            throw ApiError.InvalidValue("messages", "'messages' must contain at least one message.");
        if (array.GetArrayLength() > maxMessages)
            throw ApiError.InvalidValue("messages", $"'messages' has {array.GetArrayLength()} messages; this server accepts at most {maxMessages}.");

        var messages = new List<ChatMessage>();
        foreach (var item in array.EnumerateArray())
        {
            var param = $"messages[{messages.Count}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw ApiError.InvalidType(param, "a message object");
            var role = Optional(item, "role") ?? throw ApiError.Missing($"{param}.role");
            if (role.ValueKind != JsonValueKind.String)
                throw ApiError.InvalidType($"{param}.role", "a string");
            var roleName = Text(role, $"{param}.role");
            if (!Roles.Contains(roleName))
                throw ApiError.InvalidValue($"{param}.role", $"Unknown role '{roleName}'; expected one of {string.Join(", ", Roles)}.");
            var content = ReadContent(item, param);
            var text = roleName switch
            {
                "assistant" => ToolPrompt.AssistantTurn(content, ReadToolCalls(item, param)),
                "tool" => ToolPrompt.ToolResult(content),
                _ => content,
            };
            messages.Add(new ChatMessage(new ChatRole(roleName), text));
        }

        return messages;
    }

    /// <summary>An assistant message's <c>tool_calls</c>: name and arguments text of each.</summary>
    private static List<(string Name, string Arguments)> ReadToolCalls(JsonElement message, string param)
    {
        if (Optional(message, "tool_calls") is not { } calls)
            return [];
        if (calls.ValueKind != JsonValueKind.Array)
            throw ApiError.InvalidType($"{param}.tool_calls", "an array of tool calls");
        var result = new List<(string, string)>();
        foreach (var call in calls.EnumerateArray())
        {
            var callParam = $"{param}.tool_calls[{result.Count}]";
            if (call.ValueKind != JsonValueKind.Object || Optional(call, "function") is not { ValueKind: JsonValueKind.Object } function)
                throw ApiError.InvalidValue(callParam, "A tool call must be {\"id\":…,\"type\":\"function\",\"function\":{\"name\":…,\"arguments\":…}}.");
            var name = String(function, "name", $"{callParam}.function.name") ?? throw ApiError.Missing($"{callParam}.function.name");
            var arguments = String(function, "arguments", $"{callParam}.function.arguments") ?? "{}";
            result.Add((name, arguments));
        }
        return result;
    }

    /// <summary>Content is a string, null (an assistant turn that only called tools) or an array of text parts.</summary>
    private static string ReadContent(JsonElement message, string param)
    {
        var content = Optional(message, "content");
        if (content is null)
            return "";
        if (content.Value.ValueKind == JsonValueKind.String)
            return Text(content.Value, $"{param}.content");
        if (content.Value.ValueKind != JsonValueKind.Array)
            throw ApiError.InvalidType($"{param}.content", "a string or an array of content parts");

        var text = new StringBuilder();
        foreach (var part in content.Value.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || Optional(part, "type") is not { ValueKind: JsonValueKind.String } type
                || Text(type, $"{param}.content") != "text"
                || Optional(part, "text") is not { ValueKind: JsonValueKind.String } partText)
                throw ApiError.InvalidValue($"{param}.content", "Only text content parts ({\"type\":\"text\",\"text\":…}) are supported.");
            text.Append(Text(partText, $"{param}.content"));
        }

        return text.ToString();
    }
}
