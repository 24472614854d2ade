namespace AgentKit.Fuzzing.Guidance;

/// <summary>Options of <see cref="FrontierQuestions"/>; validated when set.</summary>
public sealed record FrontierQuestionOptions
{
    private readonly int _max = 20;
    private readonly int _tokenBudget = 1200;
    private readonly int _callerDepth = 1;
    private readonly int _callWeight = 2;
    private readonly int? _seedBudget;

    /// <summary>Most questions to build (at least 1).</summary>
    public int Max { get => _max; init => _max = AtLeast(value, 1); }

    /// <summary>Budget of one slice in tokens (about 4 characters each; at least 50).</summary>
    public int TokenBudget { get => _tokenBudget; init => _tokenBudget = AtLeast(value, 50); }

    /// <summary>Levels of callers added as context (0: the branch's method only).</summary>
    public int CallerDepth { get => _callerDepth; init => _callerDepth = AtLeast(value, 0); }

    /// <summary>Cost of a call edge in the branch distance (see <see cref="BranchDistance"/>; at least 1).</summary>
    public int CallWeight { get => _callWeight; init => _callWeight = AtLeast(value, 1); }

    /// <summary>
    /// Longest seed input in bytes a question prefers (at least 1): the closest of the inputs within it, one longer only
    /// when none within it reaches the branch. A model with a small context cannot read a long seed; null: no limit.
    /// </summary>
    public int? SeedBudget { get => _seedBudget; init => _seedBudget = value is { } v ? AtLeast(v, 1) : null; }

    /// <summary>Time one corpus input may run while its coverage is measured.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(5);

    private static int AtLeast(int value, int min, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, name);
        return value;
    }
}
