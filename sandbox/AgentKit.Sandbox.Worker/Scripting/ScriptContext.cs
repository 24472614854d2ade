using System.Reflection;
using System.Text.Json;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Scripting;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>
/// One notebook state: a chain of script submissions where each sees the variables and declarations of the ones
/// before it. The host compiled and checked every submission; this side loads them into a collectible load
/// context of their own, freed by <see cref="Dispose"/>, and runs them.
/// </summary>
internal sealed class ScriptContext : IDisposable
{
    private SubmissionLoadContext? _loadContext;
    // Roslyn's submission protocol: slot 0 holds the globals, each submission stores itself in the next free slot
    // and reads earlier submissions from theirs.
    private object?[] _states = new object?[8];
    private int _nextSlot = 1;

    public ScriptContext(long id, IToolInvoker tools, int maxChars, int maxToolArgumentChars)
    {
        _loadContext = new SubmissionLoadContext($"agentkit-context-{id}");
        // Per-context serializer options: their metadata cache holds the context's types, and must die with it.
        Globals = new ScriptGlobals(tools, new JsonSerializerOptions(JsonSerializerDefaults.Web), maxChars, maxToolArgumentChars);
        _states[0] = Globals;
    }

    /// <summary>The globals object snippets see (final answer, tool calls).</summary>
    public ScriptGlobals Globals { get; }

    /// <summary>Loads <paramref name="submission"/> and runs it; returns its value (exceptions propagate).</summary>
    public object? Execute(SubmissionImage submission)
    {
        var loadContext = _loadContext ?? throw new ObjectDisposedException(nameof(ScriptContext));
        // Loaded even without code to run: later submissions may use the types it declares.
        var assembly = loadContext.Add(new MemoryStream(submission.Image, writable: false),
            submission.Symbols is { } symbols ? new MemoryStream(symbols, writable: false) : null);
        if (submission.EntryType is null || submission.EntryMethod is null) return null;

        var type = assembly.GetType(submission.EntryType, throwOnError: true)!;
        var factory = type.GetMethod(submission.EntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?
            .CreateDelegate<Func<object?[], Task<object?>>>()
            ?? throw new InvalidDataException($"The submission has no entry method '{submission.EntryMethod}'.");
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

    /// <summary>Tracks the load context after unloading, to tell whether it was really collected.</summary>
    public WeakReference? LoadContextReference => _loadContext is null ? null : new WeakReference(_loadContext);

    /// <summary>Drops every reference to the context's objects and unloads its assemblies.</summary>
    public void Dispose()
    {
        Array.Clear(_states);
        _loadContext?.Unload();
        _loadContext = null;
    }
}
