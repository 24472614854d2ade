using AgentKit.Sandbox.Protocol;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentKit.Sandbox.Compilation;

/// <summary>
/// A snippet that compiled and passed the policy, on top of a chain of earlier submissions: the compilation (the
/// next snippet of the same state compiles on top of it) and the image a worker loads and runs.
/// </summary>
/// <param name="Compilation">The submission's compilation; later submissions name it as their previous one.</param>
/// <param name="Image">What the worker receives.</param>
internal sealed record CompiledSubmission(CSharpCompilation Compilation, SubmissionImage Image)
{
    /// <summary>Position in its chain (0: the tool prelude or the first snippet).</summary>
    public required int Index { get; init; }
}

/// <summary>Why a snippet did not compile or was refused, in the worker protocol's status words.</summary>
/// <param name="Status">Either <c>compile_error</c> or <c>policy_violation</c>.</param>
/// <param name="Error">The compiler's or the policy's message.</param>
/// <param name="Line">1-based line in the snippet.</param>
/// <param name="Column">1-based column.</param>
internal sealed record CompileFailure(string Status, string Error, int? Line, int? Column)
{
}
