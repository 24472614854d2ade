using System.Reflection;
using System.Text.Json;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Scripting;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>
/// One notebook state: a chain of script submissions where each sees the variables and declarations of the ones
/// before it. The host compiled and checked every submission. The state itself is the chain of submission objects
/// held here; the code is either shared with the run's other contexts (<see cref="ImageStore"/>) or loaded into a
/// collectible load context of this context's own, freed by <see cref="Dispose"/>.
/// </summary>
internal sealed class ScriptContext : IDisposable
{
    private readonly string _name;
    private SubmissionLoadContext? _loadContext;
    private LoadedImage? _sharedTip;
    private bool _disposed;
    // Roslyn's submission protocol: slot 0 holds the globals, each submission stores itself in the next free slot
    // and reads earlier submissions from theirs.
    private object?[] _states = new object?[8];
    private int _nextSlot = 1;

    public ScriptContext(long id, IToolInvoker tools, int maxChars, int maxToolArgumentChars)
    {
        _name = $"agentkit-context-{id}";
        // Per-context serializer options: their metadata cache holds the context's types, and must die with it.
        Globals = new ScriptGlobals(tools, new JsonSerializerOptions(JsonSerializerDefaults.Web), maxChars, maxToolArgumentChars);
        _states[0] = Globals;
    }

    /// <summary>The globals object snippets see (final answer, tool calls).</summary>
    public ScriptGlobals Globals { get; }

    /// <summary>Notes that the context's chain continues with the shared <paramref name="image"/>.</summary>
    public void UseShared(LoadedImage image)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A shared image can only follow shared ones: its references resolve through its own parents, not here.
        if (_loadContext is not null) throw new InvalidDataException("A shared image cannot follow a private one in a context.");
        _sharedTip = image;
    }

    /// <summary>Loads <paramref name="submission"/> into this context's own load context.</summary>
    public LoadedImage LoadPrivate(SubmissionImage submission)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _loadContext ??= new SubmissionLoadContext(_name, _sharedTip);
        var assembly = _loadContext.Add(new MemoryStream(submission.Image, writable: false),
            submission.Symbols is { } symbols ? new MemoryStream(symbols, writable: false) : null);
        return LoadedImage.From(assembly, submission, _sharedTip);
    }

    /// <summary>Runs <paramref name="image"/> as this context's next submission; returns its value (exceptions propagate).</summary>
    public object? Execute(LoadedImage image)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // An image without code to run was still loaded: later submissions may use the types it declares.
        if (image.EntryType is null || image.EntryMethod is null) return null;

        var type = image.Assembly.GetType(image.EntryType, throwOnError: true)!;
        var factory = type.GetMethod(image.EntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?
            .CreateDelegate<Func<object?[], Task<object?>>>()
            ?? throw new InvalidDataException($"The submission has no entry method '{image.EntryMethod}'.");
        if (_nextSlot >= _states.Length) Array.Resize(ref _states, _states.Length * 2);
        try
        {
            // Snippets cannot await (tasks are denied), so the task has completed when the factory returns.
            return factory(_states).GetAwaiter().GetResult();
        }
        finally
        {
            while (_nextSlot < _states.Length && _states[_nextSlot] is not null) _nextSlot++;
        }
    }

    /// <summary>Tracks the context's own load context after unloading, to tell whether it was really collected.</summary>
    public WeakReference? LoadContextReference => _loadContext is null ? null : new WeakReference(_loadContext);

    /// <summary>Drops every reference to the context's objects and unloads its own assemblies.</summary>
    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_states);
        _sharedTip = null;
        _loadContext?.Unload();
        _loadContext = null;
    }
}
