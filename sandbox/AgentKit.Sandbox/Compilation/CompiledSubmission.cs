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
    private static long s_lastId;

    /// <summary>Position in its chain (0: the tool prelude or the first snippet).</summary>
    public required int Index { get; init; }

    /// <summary>Identifies the image to workers, which keep shared images by id.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_lastId);

    /// <summary>The submission it was compiled on top of (0: none).</summary>
    public long ParentId { get; init; }

    /// <summary>
    /// The code declares static state (a static field, auto-property, field-like event or constructor), or an earlier
    /// submission of its chain does. Contexts then each load their own copy, so no two states share a static.
    /// </summary>
    public bool IsPrivate { get; init; }

    /// <summary>The reference a worker is sent; <paramref name="withPayload"/> when it may not have the image yet.</summary>
    public ImageRef ToRef(bool withPayload) => new(Id, ParentId, IsPrivate, withPayload || IsPrivate ? Image : null);
}

/// <summary>Why a snippet did not compile or was refused, in the worker protocol's status words.</summary>
/// <param name="Status">Either <c>compile_error</c> or <c>policy_violation</c>.</param>
/// <param name="Error">The compiler's or the policy's message.</param>
/// <param name="Line">1-based line in the snippet.</param>
/// <param name="Column">1-based column.</param>
internal sealed record CompileFailure(string Status, string Error, int? Line, int? Column)
{
}
