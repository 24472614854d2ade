namespace AgentKit.Abstractions.Execution;

/// <summary>How a code snippet ended.</summary>
public enum ExecutionStatus
{
    /// <summary>Compiled and ran to completion.</summary>
    Ok,
    /// <summary>The C# compiler rejected the code.</summary>
    CompileError,
    /// <summary>The code uses a denied namespace, type or member.</summary>
    PolicyViolation,
    /// <summary>The code threw an exception.</summary>
    RuntimeError,
    /// <summary>The code ran past its wall-clock limit and its worker was killed.</summary>
    Timeout,
    /// <summary>The code exceeded its memory limit.</summary>
    MemoryLimit,
    /// <summary>The worker process died (stack overflow, fatal error).</summary>
    Crashed,
    /// <summary>Ran, but printed more than the output cap; the output is cut.</summary>
    OutputTruncated,
}

/// <summary>The outcome of running one snippet.</summary>
public sealed record ExecutionResult
{
    /// <summary>How the snippet ended.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>What the snippet printed (capped).</summary>
    public string Output { get; init; } = "";

    /// <summary>The value of the snippet's last expression, rendered as text, if any.</summary>
    public string? ReturnValue { get; init; }

    /// <summary>Error message for any status other than <see cref="ExecutionStatus.Ok"/>.</summary>
    public string? Error { get; init; }

    /// <summary>1-based line of a compile error or policy violation, when known.</summary>
    public int? Line { get; init; }

    /// <summary>1-based column of a compile error or policy violation, when known.</summary>
    public int? Column { get; init; }

    /// <summary>Wall time of the snippet, including compilation.</summary>
    public double ElapsedMs { get; init; }

    /// <summary>The value passed to <c>FinalAnswer(...)</c>, rendered as text, when the snippet called it.</summary>
    public string? FinalAnswer { get; init; }

    /// <summary>True for <see cref="ExecutionStatus.Ok"/> and <see cref="ExecutionStatus.OutputTruncated"/>.</summary>
    public bool Succeeded => Status is ExecutionStatus.Ok or ExecutionStatus.OutputTruncated;
}
