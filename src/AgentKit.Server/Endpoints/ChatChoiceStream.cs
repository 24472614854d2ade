using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Protocol;
using AgentKit.Server.Tools;

namespace AgentKit.Server.Endpoints;

/// <summary>
/// Turns the deltas of one choice into <c>chat.completion.chunk</c> events. The first chunk carries the role. With
/// active tools, text goes through a <see cref="ToolCallSplitter"/>: content is sent as it comes, and each call, once
/// complete, as OpenAI streams calls: a chunk with its <c>id</c>, <c>type</c> and <c>name</c> (arguments empty),
/// then one with its <c>arguments</c>; the choice ends with an empty delta and finish reason <c>tool_calls</c>.
/// </summary>
internal sealed class ChatChoiceStream(int index, ChatCompletionResponses responses, ToolSet tools)
{
    private readonly ToolCallSplitter? _splitter = tools.Active ? new ToolCallSplitter(tools.Tools.Select(t => t.Name).ToHashSet()) : null;
    private readonly List<TokenLogprob> _heldLogprobs = [];
    private bool _started;
    private bool _wantsLogprobs;

    /// <summary>Tokens this choice generated, once its final delta said so.</summary>
    public int? Tokens { get; private set; }

    /// <summary>The events for <paramref name="delta"/>.</summary>
    public List<JsonObject> Add(CandidateDelta delta)
    {
        Tokens = delta.Tokens ?? Tokens;
        if (_splitter is null)
        {
            var content = new JsonObject();
            if (delta.Text.Length > 0 || !_started)
                content["content"] = delta.Text;
            return [Chunk(content, delta.Logprobs, delta.FinishReason)];
        }

        if (delta.Logprobs is not null)
        {
            _wantsLogprobs = true;
            _heldLogprobs.AddRange(delta.Logprobs);
        }
        var parts = _splitter.Add(delta.Text);
        if (delta.FinishReason is not null)
            parts.AddRange(_splitter.Flush());

        var events = new List<JsonObject>();
        foreach (var part in parts)
        {
            if (part.Call is { } call)
            {
                var header = ChatCompletionResponses.CallJson(call with { Arguments = "" });
                header["index"] = _splitter.Calls - 1;
                events.Add(Chunk(ToolCalls(header), TakeLogprobs(), null));
                var arguments = new JsonObject { ["index"] = _splitter.Calls - 1, ["function"] = new JsonObject { ["arguments"] = call.Arguments } };
                events.Add(Chunk(ToolCalls(arguments), null, null));
            }
            else
            {
                events.Add(Chunk(new JsonObject { ["content"] = part.Content }, TakeLogprobs(), null));
            }
        }

        if (delta.FinishReason is { } reason)
            events.Add(Chunk([], TakeLogprobs(), _splitter.Calls > 0 ? ChatCompletionResponses.ToolFinishReason(reason) : reason));
        return events;
    }

    private static JsonObject ToolCalls(JsonObject call) => new() { ["tool_calls"] = new JsonArray(call) };

    private List<TokenLogprob>? TakeLogprobs()
    {
        if (!_wantsLogprobs)
            return null;
        var taken = _heldLogprobs.ToList();
        _heldLogprobs.Clear();
        return taken;
    }

    private JsonObject Chunk(JsonObject delta, IReadOnlyList<TokenLogprob>? logprobs, string? finishReason)
    {
        if (!_started)
        {
            // The role leads the delta, as OpenAI sends it.
            var withRole = new JsonObject { ["role"] = "assistant" };
            foreach (var (key, value) in delta.ToList())
            {
                delta.Remove(key);
                withRole[key] = value;
            }
            delta = withRole;
            _started = true;
        }
        return responses.Chunk(index, delta, logprobs, finishReason);
    }
}
