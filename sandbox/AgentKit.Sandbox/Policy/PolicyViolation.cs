using Microsoft.CodeAnalysis;

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

    /// <summary>A violation at <paramref name="node"/>'s start.</summary>
    public static PolicyViolation At(SyntaxNode node, string symbol, string reason) => At(node.GetLocation(), symbol, reason);

    /// <summary>A violation at <paramref name="node"/>'s start, for a verdict of <see cref="CodePolicy.CheckSymbol"/>.</summary>
    public static PolicyViolation At(SyntaxNode node, (string Symbol, string Reason) verdict) => At(node.GetLocation(), verdict.Symbol, verdict.Reason);

    /// <summary>A violation at <paramref name="token"/>'s start.</summary>
    public static PolicyViolation At(SyntaxToken token, string symbol, string reason) => At(token.GetLocation(), symbol, reason);

    private static PolicyViolation At(Location location, string symbol, string reason)
    {
        var position = location.GetLineSpan().StartLinePosition;
        return new PolicyViolation(symbol, reason, position.Line + 1, position.Character + 1);
    }
}
