namespace AgentKit.Fuzzing.Execution;

/// <summary>What happened to one input.</summary>
internal enum ExecKind
{
    /// <summary>Returned normally or with a documented parse exception.</summary>
    Ok,

    /// <summary>An unexpected exception, caught in the worker (the worker lives on).</summary>
    Crash,

    /// <summary>The worker process died (stack overflow, access violation, abort); it must be replaced.</summary>
    Died,

    /// <summary>The input ran past the timeout; the worker was killed and must be replaced.</summary>
    Hang,
}

/// <summary>The outcome of one input: the coverage cells it hit and, for findings, what went wrong.</summary>
internal sealed record ExecResult(ExecKind Kind, (ushort Index, byte Count)[] Hits, string? ExceptionType = null, string? Message = null, string? StackTrace = null, int? ExitCode = null, string? Stderr = null)
{
    public static readonly (ushort, byte)[] NoHits = [];
}
