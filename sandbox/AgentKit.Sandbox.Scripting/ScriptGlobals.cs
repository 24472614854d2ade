using System.ComponentModel;
using System.Text.Json;


namespace AgentKit.Sandbox.Scripting;

/// <summary>
/// The globals object of every snippet: its public members are callable from agent code without qualification.
/// Generated tool functions call <see cref="AgentKitCallTool{T}"/>; agents call <see cref="FinalAnswer"/>.
/// </summary>
public sealed class ScriptGlobals
{
    private readonly IToolInvoker _tools;
    private readonly JsonSerializerOptions _json;
    private readonly int _maxChars;
    private readonly int _maxToolArgumentChars;

    internal ScriptGlobals(IToolInvoker tools, JsonSerializerOptions json, int maxChars, int maxToolArgumentChars)
    {
        _tools = tools;
        _json = json;
        _maxChars = maxChars;
        _maxToolArgumentChars = maxToolArgumentChars;
    }

    /// <summary>The rendered final answer of the snippet that is running, if it gave one.</summary>
    internal string? FinalAnswerText { get; private set; }

    /// <summary>Forgets the previous snippet's final answer.</summary>
    internal void ResetFinalAnswer() => FinalAnswerText = null;

    /// <summary>Records <paramref name="value"/> as the agent's final answer and ends the snippet.</summary>
    public void FinalAnswer(object? value)
    {
        FinalAnswerText = ValueRenderer.Render(value, _maxChars);
        throw new FinalAnswerSignal();
    }

    /// <summary>Calls the host tool <paramref name="name"/> and converts its JSON result to <typeparamref name="T"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T AgentKitCallTool<T>(string name, params object?[] arguments)
    {
        var result = Invoke(name, arguments);
        if (result is not { } json || json.ValueKind == JsonValueKind.Null)
            return default!;
        try
        {
            return json.Deserialize<T>(_json)!;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Tool '{name}' returned a value that does not fit {typeof(T).Name}: {ex.Message}");
        }
    }

    /// <summary>Calls the host tool <paramref name="name"/>, which returns nothing.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AgentKitCallToolVoid(string name, params object?[] arguments) => Invoke(name, arguments);

    private JsonElement? Invoke(string name, object?[] arguments)
    {
        var serialized = new JsonElement[arguments.Length];
        var chars = 0L;
        for (var i = 0; i < arguments.Length; i++)
        {
            serialized[i] = JsonSerializer.SerializeToElement(arguments[i], arguments[i]?.GetType() ?? typeof(object), _json);
            chars += serialized[i].GetRawText().Length;
        }
        // The host refuses larger calls too; saying so here gives the agent an error it can read and catch.
        if (chars > _maxToolArgumentChars)
            throw new InvalidOperationException($"Tool '{name}' was called with {chars:N0} characters of arguments; the sandbox allows {_maxToolArgumentChars:N0}.");
        var outcome = _tools.Invoke(name, serialized);
        // A plain framework exception type, so agent code can catch it without naming anything denied.
        return outcome.Ok ? outcome.Value : throw new InvalidOperationException($"Tool '{name}' failed: {outcome.Error}");
    }
}

/// <summary>Carries a tool call across the process boundary.</summary>
internal interface IToolInvoker
{
    /// <summary>Sends the call to the host and blocks until it answers.</summary>
    ToolOutcome Invoke(string name, JsonElement[] arguments);
}

/// <summary>The host's answer to a tool call.</summary>
internal readonly record struct ToolOutcome(bool Ok, JsonElement? Value, string? Error);

/// <summary>Thrown by <see cref="ScriptGlobals.FinalAnswer"/> to end the snippet early; not an error.</summary>
internal sealed class FinalAnswerSignal() : Exception("FinalAnswer ended the snippet.");
