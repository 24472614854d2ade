using System.Text.Json;
using AgentKit.Abstractions.Tools;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>One tool call as answered to agent code; the log of a step is replayed instead of calling tools again.</summary>
internal sealed record ToolCallRecord(string Tool, bool Ok, JsonElement? Value, string? Error)
{
    public WorkerRequest ToAnswer() => new() { Kind = WorkerProtocol.Requests.ToolResult, Ok = Ok, Value = Value, Error = Error };
}

/// <summary>
/// Runs the host side of tool calls coming from a worker. The host decides here, not the worker: only the session's
/// own tools exist, with their declared number of arguments, within the argument size cap.
/// </summary>
internal sealed class ToolDispatcher(IReadOnlyDictionary<string, IAgentTool> tools, int maxArgumentChars)
{
    /// <summary>Invokes tools for real and appends each answer to <paramref name="log"/>.</summary>
    public ToolCallHandler Live(List<ToolCallRecord> log) => async (call, cancellationToken) =>
    {
        var record = await InvokeAsync(call, cancellationToken).ConfigureAwait(false);
        log.Add(record);
        return record.ToAnswer();
    };

    /// <summary>
    /// Answers from <paramref name="log"/> in order, so replaying a committed step sees the same results without
    /// repeating the tools' side effects. Should the replay diverge (the code asks for another tool), the tool runs live.
    /// </summary>
    public ToolCallHandler Replay(IReadOnlyList<ToolCallRecord> log)
    {
        var next = 0;
        return async (call, cancellationToken) =>
        {
            if (next < log.Count && log[next].Tool == call.Tool) return log[next++].ToAnswer();
            next = log.Count;
            return (await InvokeAsync(call, cancellationToken).ConfigureAwait(false)).ToAnswer();
        };
    }

    private async Task<ToolCallRecord> InvokeAsync(WorkerReply call, CancellationToken cancellationToken)
    {
        var name = call.Tool ?? "";
        if (!tools.TryGetValue(name, out var tool)) return new ToolCallRecord(name, false, null, $"there is no tool named '{name}'");
        var arguments = call.Arguments ?? [];
        if (arguments.Length != tool.Definition.Parameters.Count)
            return new ToolCallRecord(name, false, null, $"expects {tool.Definition.Parameters.Count} arguments, got {arguments.Length}");
        var chars = arguments.Sum(a => (long)a.GetRawText().Length);
        if (chars > maxArgumentChars)
            return new ToolCallRecord(name, false, null, $"was called with {chars:N0} characters of arguments; the sandbox allows {maxArgumentChars:N0}");
        try
        {
            var result = await tool.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
            return new ToolCallRecord(name, true, result is null ? null : JsonSerializer.SerializeToElement(result), null);
        }
        catch (ToolException ex)
        {
            return new ToolCallRecord(name, false, null, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Any tool bug becomes an exception in the agent's code, never a crash of the host.
            return new ToolCallRecord(name, false, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
