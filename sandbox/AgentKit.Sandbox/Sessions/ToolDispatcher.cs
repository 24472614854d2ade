using System.Text.Json;
using AgentKit.Abstractions.Tools;
using AgentKit.Sandbox.Pool;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Sessions;

/// <summary>What became of a side-effecting tool's call made while candidates were tried.</summary>
internal enum HeldCall
{
    /// <summary>The tool ran (read-only tools, and every tool outside a try).</summary>
    No,

    /// <summary>A <c>void</c> tool: answered at once, run for real when its candidate is committed.</summary>
    Deferred,

    /// <summary>A tool whose value the code needs: refused in the candidate; the chosen candidate runs again for real.</summary>
    Refused,
}

/// <summary>One tool call as answered to agent code; replaying a step answers from its log instead of calling tools again.</summary>
internal sealed record ToolCallRecord(string Tool, bool Ok, JsonElement? Value, string? Error, HeldCall Held = HeldCall.No, JsonElement[]? Arguments = null)
{
    public WorkerRequest ToAnswer() => new() { Kind = WorkerProtocol.Requests.ToolResult, Ok = Ok, Value = Value, Error = Error };

    /// <summary>The answer as a replay gives it again, without asking the host.</summary>
    public ReplayAnswer ToReplayAnswer() => new(Tool, Ok, Value, Error);
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
    /// For a candidate that may be discarded: read-only tools run, each distinct call once per try (<paramref name="reads"/>);
    /// side-effecting ones do not (see <see cref="HeldCall"/>).
    /// </summary>
    public ToolCallHandler Exploring(List<ToolCallRecord> log, SharedReads reads) => async (call, cancellationToken) =>
    {
        var record = Check(call, out var tool);
        if (record is null)
        {
            var arguments = call.Arguments ?? [];
            record = tool!.Definition.HasSideEffects
                ? Hold(tool, arguments)
                : await reads.GetOrInvokeAsync(tool.Definition.Name, arguments, () => InvokeAsync(tool, arguments, cancellationToken)).ConfigureAwait(false);
        }
        log.Add(record);
        return record.ToAnswer();
    };

    /// <summary>Runs a call held back while its candidate was tried, now that the candidate is chosen.</summary>
    public async Task<ToolCallRecord> CarryOutAsync(ToolCallRecord held, CancellationToken cancellationToken) =>
        tools.TryGetValue(held.Tool, out var tool)
            ? await InvokeAsync(tool, held.Arguments ?? [], cancellationToken).ConfigureAwait(false)
            : new ToolCallRecord(held.Tool, false, null, $"there is no tool named '{held.Tool}'");

    private static ToolCallRecord Hold(IAgentTool tool, JsonElement[] arguments)
    {
        var name = tool.Definition.Name;
        return tool.Definition.ReturnType == "void"
            ? new ToolCallRecord(name, true, null, null, HeldCall.Deferred, [.. arguments.Select(a => a.Clone())])
            : new ToolCallRecord(name, false, null,
                $"'{name}' has side effects, so it does not run while several candidate actions are tried; the chosen action runs again with it for real",
                HeldCall.Refused);
    }

    private async Task<ToolCallRecord> InvokeAsync(WorkerReply call, CancellationToken cancellationToken) =>
        Check(call, out var tool) ?? await InvokeAsync(tool!, call.Arguments ?? [], cancellationToken).ConfigureAwait(false);

    // The host's checks of a call, whatever the worker claims: the tool exists, with its arity, within the size cap.
    private ToolCallRecord? Check(WorkerReply call, out IAgentTool? tool)
    {
        var name = call.Tool ?? "";
        if (!tools.TryGetValue(name, out tool)) return new ToolCallRecord(name, false, null, $"there is no tool named '{name}'");
        var arguments = call.Arguments ?? [];
        if (arguments.Length != tool.Definition.Parameters.Count)
            return new ToolCallRecord(name, false, null, $"expects {tool.Definition.Parameters.Count} arguments, got {arguments.Length}");
        var chars = arguments.Sum(a => (long)a.GetRawText().Length);
        if (chars > maxArgumentChars)
            return new ToolCallRecord(name, false, null, $"was called with {chars:N0} characters of arguments; the sandbox allows {maxArgumentChars:N0}");
        return null;
    }

    private static async Task<ToolCallRecord> InvokeAsync(IAgentTool tool, JsonElement[] arguments, CancellationToken cancellationToken)
    {
        var name = tool.Definition.Name;
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
