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
internal sealed class WorkerHost : IToolInvoker
{
    // Unloaded contexts are only freed by a full collection; run one every so often so memory stays flat.
    private const int UnloadsPerCollection = 32;

    private readonly HostChannel _channel;
    private readonly WorkerSettings _settings;
    private readonly Dictionary<long, ScriptContext> _contexts = [];
    private readonly List<WeakReference> _unloaded = [];
    private readonly ImageStore _images = new();
    private readonly SnippetRunner _runner;
    // While a committed step is replayed: the answers its tool calls got, given again without asking the host.
    private Queue<ReplayAnswer>? _replayAnswers;
    private int _unloadsSinceCollection;

    public WorkerHost(HostChannel channel, CappedWriter capture, WorkerSettings settings)
    {
        _channel = channel;
        _settings = settings;
        _runner = new SnippetRunner(capture, settings);
    }

    /// <summary>Serves requests until the host closes stdin.</summary>
    public void Serve()
    {
        while (_channel.Receive() is { } request)
            _channel.Send(Handle(request));
    }

    private WorkerReply Handle(WorkerRequest request) => request.Kind switch
    {
        WorkerProtocol.Requests.Restore => Restore(request),
        WorkerProtocol.Requests.Run => Run(request),
        WorkerProtocol.Requests.Close => Close(request.ContextIds ?? [], request.DropImageIds ?? []),
        WorkerProtocol.Requests.Stats => Stats(),
        _ => Failure($"Unknown request '{request.Kind}'."),
    };

    // Opens a context and rebuilds a committed state in it: the prelude, then every step with its recorded tool answers.
    private WorkerReply Restore(WorkerRequest request)
    {
        if (_contexts.Remove(request.ContextId, out var stale)) Unload(stale);
        var context = NewContext(request.ContextId);
        _contexts[request.ContextId] = context;
        if (request.Image is { } preludeImage)
        {
            if (Load(preludeImage, context) is not { } prelude) return Abandon(context, request.ContextId, Failure($"The tool prelude (image {preludeImage.Id}) could not be loaded."));
            var opened = _runner.Run(context, prelude);
            if (opened.Status != WorkerProtocol.Statuses.Ok) return Abandon(context, request.ContextId, opened with { Error = $"the tool prelude failed: {opened.Error}" });
        }
        for (var i = 0; i < (request.Steps?.Length ?? 0); i++)
        {
            var step = request.Steps![i];
            // A step that cannot be loaded would leave a state that silently lacks it: refuse the whole restore.
            if (Load(step.Image, context) is not { } image) return Abandon(context, request.ContextId, Failure($"step {i + 1} (image {step.Image.Id}) could not be loaded."));
            _replayAnswers = new Queue<ReplayAnswer>(step.Answers);
            try
            {
                // A step's own outcome was recorded when it first ran; only a worker that must be replaced matters now.
                var replayed = _runner.Run(context, image);
                if (replayed.Recycle) return Abandon(context, request.ContextId, replayed);
            }
            finally
            {
                _replayAnswers = null;
            }
        }
        return Ok();
    }

    // Null when the image is unknown, malformed, or cannot follow the context's chain: the host's mistake, never the snippet's.
    private LoadedImage? Load(ImageRef image, ScriptContext context)
    {
        try
        {
            return _images.Resolve(image, context);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadImageFormatException or FileLoadException)
        {
            Console.Error.WriteLine($"agentkit-worker: {ex.Message}");
            return null;
        }
    }

    private WorkerReply Abandon(ScriptContext context, long id, WorkerReply reply)
    {
        _contexts.Remove(id);
        Unload(context);
        return reply;
    }

    private WorkerReply Run(WorkerRequest request)
    {
        if (request.Image is not { } submission) return Failure("A run request needs a submission.");
        if (request.ContextId == 0)
        {
            // Context 0 is a throwaway: one-shot snippets and the warm-up.
            var scratch = NewContext(0);
            try
            {
                return RunLoaded(scratch, submission);
            }
            finally
            {
                Unload(scratch);
            }
        }
        return _contexts.TryGetValue(request.ContextId, out var context)
            ? RunLoaded(context, submission)
            : Failure($"Unknown context {request.ContextId}.");
    }

    private WorkerReply RunLoaded(ScriptContext context, ImageRef submission) =>
        Load(submission, context) is { } image ? _runner.Run(context, image) : Failure($"The submission (image {submission.Id}) could not be loaded.");

    private ScriptContext NewContext(long id) => new(id, this, _settings.MaxOutputChars, _settings.MaxToolArgumentChars);

    private WorkerReply Close(long[] contextIds, long[] imageIds)
    {
        foreach (var id in contextIds)
            if (_contexts.Remove(id, out var context)) Unload(context);
        foreach (var id in imageIds)
            if (_images.Drop(id) is { } reference) Track(reference);
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
        var stats = new WorkerStats(GC.GetTotalMemory(forceFullCollection: true), _contexts.Count, _unloaded.Count) { SharedImages = _images.Count };
        return new WorkerReply { Kind = WorkerProtocol.Replies.Result, Status = WorkerProtocol.Statuses.Ok, Stats = stats };
    }

    private void Unload(ScriptContext context)
    {
        if (context.LoadContextReference is { } reference) Track(reference);
        context.Dispose();
    }

    // Watches an unloaded load context go, collecting every so often so memory stays flat.
    private void Track(WeakReference reference)
    {
        if (_unloaded.Count > 10_000) _unloaded.RemoveAll(r => !r.IsAlive);
        _unloaded.Add(reference);
        if (++_unloadsSinceCollection < UnloadsPerCollection) return;
        _unloadsSinceCollection = 0;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Asks the host to run a tool (blocking the snippet until it answers), or replays a recorded answer.</summary>
    public ToolOutcome Invoke(string name, JsonElement[] arguments)
    {
        if (_replayAnswers is { } recorded)
        {
            if (recorded.TryPeek(out var next) && next.Tool == name)
            {
                recorded.Dequeue();
                return new ToolOutcome(next.Ok, next.Value, next.Error);
            }
            // The replay diverged (the step asked for another tool): from here on its tools run for real.
            _replayAnswers = null;
        }
        _channel.Send(new WorkerReply { Kind = WorkerProtocol.Replies.ToolCall, Tool = name, Arguments = arguments });
        var answer = _channel.Receive() ?? throw new EndOfStreamException("The host closed the channel during a tool call.");
        return answer.Kind == WorkerProtocol.Requests.ToolResult
            ? new ToolOutcome(answer.Ok, answer.Value, answer.Error)
            : throw new InvalidDataException($"Expected a tool result from the host, got '{answer.Kind}'.");
    }

    private static WorkerReply Ok() => new() { Kind = WorkerProtocol.Replies.Result, Status = WorkerProtocol.Statuses.Ok };

    private static WorkerReply Failure(string message) =>
        new() { Kind = WorkerProtocol.Replies.Result, Status = WorkerProtocol.Statuses.RuntimeError, Error = message };
}
