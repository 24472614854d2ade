namespace AgentKit.Sandbox.Scripting;

/// <summary>Names the compiler (host) and the runner (worker) must agree on.</summary>
internal static class SnippetSource
{
    /// <summary>The file name compile errors and stack frames report for snippet code.</summary>
    public const string Path = "snippet";
}
