using System.Collections.Concurrent;
using System.Text.Json;

namespace AgentKit.Sandbox.Sessions;

/// <summary>
/// The read-only tool calls of one try of candidates, each made once: candidates that ask a read-only tool the same
/// question (same tool, same arguments) get the same answer, so they are judged against one state of the world and
/// eight agreeing candidates cost one search, not eight. The next try asks again.
/// </summary>
internal sealed class SharedReads
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ToolCallRecord>>> _calls = new(StringComparer.Ordinal);

    /// <summary>The answer to this call: the one already given in this try, or <paramref name="invoke"/>'s.</summary>
    public Task<ToolCallRecord> GetOrInvokeAsync(string tool, JsonElement[] arguments, Func<Task<ToolCallRecord>> invoke) =>
        _calls.GetOrAdd(Key(tool, arguments), _ => new Lazy<Task<ToolCallRecord>>(invoke)).Value;

    private static string Key(string tool, JsonElement[] arguments) =>
        string.Join('\u0000', arguments.Select(a => a.GetRawText()).Prepend(tool));
}
