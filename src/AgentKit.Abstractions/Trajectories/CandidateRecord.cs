using AgentKit.Abstractions.Execution;

namespace AgentKit.Abstractions.Trajectories;

/// <summary>One sampled candidate action of a step and what became of it.</summary>
public sealed record CandidateRecord
{
    /// <summary>Position in sampling order, 0-based.</summary>
    public required int Index { get; init; }

    /// <summary>The full candidate text (including a forced prefix, if any).</summary>
    public required string Text { get; init; }

    /// <summary>Tokens the model generated for this candidate.</summary>
    public int Tokens { get; init; }

    /// <summary>Why generation stopped (<c>stop</c> or <c>length</c>).</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>Whether a thought and a code block could be read from <see cref="Text"/>.</summary>
    public required bool Parsed { get; init; }

    /// <summary>The parse error shown to the model, when <see cref="Parsed"/> is false.</summary>
    public string? ParseError { get; init; }

    /// <summary>The thought, when parsed.</summary>
    public string? Thought { get; init; }

    /// <summary>The code, when parsed.</summary>
    public string? Code { get; init; }

    /// <summary>How its execution ended; null when it was not executed (parse failure).</summary>
    public ExecutionStatus? Status { get; init; }

    /// <summary>What the code printed.</summary>
    public string? Output { get; init; }

    /// <summary>The value of the code's last expression, when any.</summary>
    public string? ReturnValue { get; init; }

    /// <summary>The execution error, when any.</summary>
    public string? Error { get; init; }

    /// <summary>The final answer the code gave, when it called <c>FinalAnswer</c>.</summary>
    public string? FinalAnswer { get; init; }

    /// <summary>Execution wall time in milliseconds.</summary>
    public double ExecutionMs { get; init; }

    /// <summary>How many valid candidates of the step had the same outcome as this one (0 for invalid ones).</summary>
    public int Votes { get; init; }

    /// <summary>Whether this candidate became the step's action.</summary>
    public bool Chosen { get; init; }
}
