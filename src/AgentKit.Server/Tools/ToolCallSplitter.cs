using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Server.Tools;

/// <summary>
/// Splits a model's output, as it arrives, into content text and tool calls written as
/// <c>&lt;tool_call&gt;{"name":…,"arguments":{…}}&lt;/tool_call&gt;</c>. Content streams on at once, except text that
/// may be the start of a call tag (held until it is not) and trailing blanks (sent only when more content follows, so
/// the newlines around calls, and at the end, are not content). A call is given when its closing tag arrives; a tag whose body is not a
/// call object, or one left open at the end, is content after all. Non-streamed answers use the same splitter, so
/// both give the same message.
/// </summary>
internal sealed class ToolCallSplitter(IReadOnlyCollection<string> toolNames)
{
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _blank = new();
    private bool _inCall;

    /// <summary>Number of calls given so far.</summary>
    public int Calls { get; private set; }

    /// <summary>Splits a whole text at once.</summary>
    public static (string Content, List<ToolCall> Calls) SplitAll(string text, IReadOnlyCollection<string> toolNames)
    {
        var splitter = new ToolCallSplitter(toolNames);
        var content = new StringBuilder();
        var calls = new List<ToolCall>();
        foreach (var part in splitter.Add(text).Concat(splitter.Flush()))
        {
            if (part.Call is { } call)
                calls.Add(call);
            else
                content.Append(part.Content);
        }
        return (content.ToString(), calls);
    }

    /// <summary>Adds new output; returns what can be given now.</summary>
    public List<ToolCallPart> Add(string text)
    {
        var parts = new List<ToolCallPart>();
        _pending.Append(text);
        while (true)
        {
            var pending = _pending.ToString();
            if (_inCall)
            {
                var close = pending.IndexOf(ToolPrompt.CallClose, StringComparison.Ordinal);
                if (close < 0)
                    return parts;
                var body = pending[..close];
                _pending.Remove(0, close + ToolPrompt.CallClose.Length);
                _inCall = false;
                if (Parse(body) is { } call)
                {
                    _blank.Clear();
                    Calls++;
                    parts.Add(new ToolCallPart(null, call));
                }
                else
                {
                    AddContent(parts, ToolPrompt.CallOpen + body + ToolPrompt.CallClose);
                }
                continue;
            }

            var open = pending.IndexOf(ToolPrompt.CallOpen, StringComparison.Ordinal);
            if (open >= 0)
            {
                AddContent(parts, pending[..open]);
                _pending.Remove(0, open + ToolPrompt.CallOpen.Length);
                _inCall = true;
                continue;
            }

            // Hold back a tail that could still become "<tool_call>".
            var hold = HeldTail(pending);
            AddContent(parts, pending[..^hold]);
            _pending.Remove(0, pending.Length - hold);
            return parts;
        }
    }

    /// <summary>The end of the output: anything held back is content (an unclosed call included).</summary>
    public List<ToolCallPart> Flush()
    {
        var parts = new List<ToolCallPart>();
        var rest = (_inCall ? ToolPrompt.CallOpen : "") + _pending;
        _pending.Clear();
        _inCall = false;
        AddContent(parts, rest);
        return parts;
    }

    private void AddContent(List<ToolCallPart> parts, string text)
    {
        // Trailing blanks wait for more content: before a call or at the end they are not content.
        var core = text.TrimEnd();
        if (core.Length > 0)
        {
            parts.Add(new ToolCallPart(_blank + core, null));
            _blank.Clear();
        }
        _blank.Append(text, core.Length, text.Length - core.Length);
    }

    private static int HeldTail(string text)
    {
        for (var length = Math.Min(ToolPrompt.CallOpen.Length - 1, text.Length); length > 0; length--)
        {
            if (ToolPrompt.CallOpen.StartsWith(text[^length..], StringComparison.Ordinal))
                return length;
        }
        return 0;
    }

    /// <summary>A call object naming an offered tool, with object arguments (or a string holding one); otherwise null.</summary>
    private ToolCall? Parse(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject call
                || call["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || !toolNames.Contains(name))
                return null;
            var arguments = call["arguments"] ?? call["parameters"];
            if (arguments is JsonValue text && text.TryGetValue<string>(out var argumentsText))
                arguments = JsonNode.Parse(argumentsText);
            return arguments is null or JsonObject
                ? new ToolCall(ToolCall.NewId(), name, arguments?.ToJsonString() ?? "{}")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Either content text or a complete tool call.</summary>
internal sealed record ToolCallPart(string? Content, ToolCall? Call);
