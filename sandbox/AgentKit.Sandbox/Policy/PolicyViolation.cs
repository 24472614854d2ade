namespace AgentKit.Sandbox.Policy;

/// <summary>The first thing in a snippet the policy refuses, with its 1-based position.</summary>
/// <param name="Symbol">What was named, e.g. <c>System.IO.File.ReadAllText</c> or <c>unsafe</c>.</param>
/// <param name="Reason">The denied category, e.g. <c>file system</c>.</param>
/// <param name="Line">1-based line in the snippet.</param>
/// <param name="Column">1-based column in the snippet.</param>
internal sealed record PolicyViolation(string Symbol, string Reason, int Line, int Column)
{
    /// <summary>The error message shown to the agent.</summary>
    public string Message => $"({Line},{Column}): '{Symbol}' is denied by the sandbox policy ({Reason}).";
}
