namespace AgentKit.Fuzzing.Guidance;

/// <summary>Options of <see cref="FrontierAnswerScorer"/>; validated at construction.</summary>
public sealed record FrontierAnswerScorerOptions
{
    private readonly TimeSpan _execTimeout = TimeSpan.FromSeconds(1);
    private readonly int _memoryLimitMb = 1024;

    /// <summary>Wall time one candidate input may run before it counts as a hang (a finding). Default 1 s.</summary>
    public TimeSpan ExecTimeout
    {
        get => _execTimeout;
        init => _execTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ExecTimeout), value, "must be positive");
    }

    /// <summary>GC heap limit of the worker in MiB (at least 64). Default 1024.</summary>
    public int MemoryLimitMb
    {
        get => _memoryLimitMb;
        init => _memoryLimitMb = value >= 64 ? value : throw new ArgumentOutOfRangeException(nameof(MemoryLimitMb), value, "must be at least 64");
    }

    /// <summary>Constants of the distance reward.</summary>
    public DistanceRewardOptions Reward { get; init; } = new();

    /// <summary>
    /// Full name (or part of it) of the method whose entry an input must reach to pass the parser's first stage
    /// (<see cref="FirstStageGate.AtMethodEntry"/>); inputs that do not score 0. Null: no gate.
    /// </summary>
    public string? FirstStageMethod { get; init; }

    /// <summary>Folder the inputs that were findings (crash, dead worker, hang) are written to, once each; null: not written.</summary>
    public string? FindingsDirectory { get; init; }

    /// <summary>Path of the worker runner (default: <see cref="FuzzCampaign.DefaultRunnerPath"/>).</summary>
    public string? RunnerPath { get; init; }
}
