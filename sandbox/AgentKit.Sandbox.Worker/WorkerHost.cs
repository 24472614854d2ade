using System.Text.Json;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Scripting;
using AgentKit.Sandbox.Worker.Output;
using AgentKit.Sandbox.Worker.Protocol;
using AgentKit.Sandbox.Worker.Scripting;

namespace AgentKit.Sandbox.Worker;

/// <summary>
/// The worker's request loop: one request at a time, each answered by exactly one result message
/// (with tool calls to the host in between while a snippet runs). It decides nothing: the host compiled and
/// checked every submission, authorises every tool call, and enforces the limits from outside.
/// </summary>
internal sealed class WorkerHost(HostChannel channel, CappedWriter capture, WorkerSettings settings) : IToolInvoker
{
    // Unloaded contexts are only freed by a full collection; run one every so often so memory stays flat.
    private const int UnloadsPerCollection = 32;

    private readonly Dictionary<long, ScriptContext> _contexts = [];
    private readonly List<WeakReference> _unloaded = [];
    private readonly SnippetRunner _runner = new(capture, settings);
    private int _unloadsSinceCollection;

    /// <summary>Serves requests until the host closes stdin.</summary>
    public void Serve()
    {
        while (channel.Receive() is { } request)
            channel.Send(Handle(request));
    }

    private WorkerReply Handle(WorkerRequest request) => request.Kind switch
    {
        WorkerProtocol.Requests.Open => Open(request),
        WorkerProtocol.Requests.Run => Run(request),
        WorkerProtocol.Requests.Close => Close(request.ContextIds ?? []),
        WorkerProtocol.Requests.Stats => Stats(),
        _ => Failure($"Unknown request '{request.Kind}'."),
    };

    private WorkerReply Open(WorkerRequest request)
    {
        if (_contexts.Remove(request.ContextId, out var stale)) Unload(stale);
        var context = NewContext(request.ContextId);
        _contexts[request.ContextId] = context;
        if (request.Submission is not { } prelude) return Ok();
        var reply = _runner.Run(context, prelude);
        if (reply.Status != WorkerProtocol.Statuses.Ok)
        {
            _contexts.Remove(request.ContextId);
            Unload(context);
        }
        return reply;
    }

    private WorkerReply Run(WorkerRequest request)
    {
        if (request.Submission is not { } submission) return Failure("A run request needs a submission.");
        if (request.ContextId == 0)
        {
            // Context 0 is a throwaway: one-shot snippets and the warm-up.
            var scratch = NewContext(0);
            try
            {
                return _runner.Run(scratch, submission);
            }
            finally
            {
                Unload(scratch);
            }
        }
        return _contexts.TryGetValue(request.ContextId, out var context)
            ? _runner.Run(context, submission)
            : Failure($"Unknown context {request.ContextId}.");
    }

    private ScriptContext NewContext(long id) => new(id, this, settings.MaxOutputChars, settings.MaxToolArgumentChars);

    private WorkerReply Close(long[] contextIds)
    {
        foreach (var id in contextIds)
            if (_contexts.Remove(id, out var context)) Unload(context);
        return Ok();
    }

    private WorkerReply Stats()
    {
        // Unloading takes several collections, and code the runtime still tracks (tiering, ~100 ms) delays it.
        for (var i = 0; i < 150 && _unloaded.Any(r => r.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (i >= 5) Thread.Sleep(20);
        }
        _unloaded.RemoveAll(r => !r.IsAlive);
        var stats = new WorkerStats(GC.GetTotalMemory(forceFullCollection: true), _contexts.Count, _unloaded.Count);
        return new WorkerReply { Kind = WorkerProtocol.Replies.Result, Status = WorkerProtocol.Statuses.Ok, Stats = stats };
    }

    private void Unload(ScriptContext context)
    {
        if (context.LoadContextReference is { } reference)
        {
            if (_unloaded.Count > 10_000) _unloaded.RemoveAll(r => !r.IsAlive);
            _unloaded.Add(reference);
        }
        context.Dispose();
        if (++_unloadsSinceCollection < UnloadsPerCollection) return;
        _unloadsSinceCollection = 0;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Asks the host to run a tool; blocks the snippet until the host answers.</summary>
    public ToolOutcome Invoke(string name, JsonElement[] arguments)
    {
        channel.Send(new WorkerReply { Kind = WorkerProtocol.Replies.ToolCall, Tool = name, Arguments = arguments });
        var answer = channel.Receive() ?? throw new EndOfStreamException("The host closed the channel during a tool call.");
        return answer.Kind == WorkerProtocol.Requests.ToolResult
            ? new ToolOutcome(answer.Ok, answer.Value, answer.Error)
            : throw new InvalidDataException($"Expected a tool result from the host, got '{answer.Kind}'.");
    }

    private static WorkerReply Ok() => new() { Kind = WorkerProtocol.Replies.Result, Status = WorkerProtocol.Statuses.Ok };

    private static WorkerReply Failure(string message) =>
        new() { Kind = WorkerProtocol.Replies.Result, Status = WorkerProtocol.Statuses.RuntimeError, Error = message };
}
