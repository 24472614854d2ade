namespace AgentKit.Fuzzing.Bench;

/// <summary>Settings of a builtin-vs-afl comparison. <see cref="Validate"/> explains what is wrong.</summary>
public sealed record FuzzBenchOptions
{
    /// <summary>Folder that receives one campaign directory per engine and repetition. Required.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Wall time of every run (the limit for a run that looks for the first crash). Default 60 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Workers of the builtin engine and afl instances (<c>-M</c> + <c>-S</c>) alike. Default: one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Runs per engine. Default 1.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Stop each run at its first crash and compare the times to it.</summary>
    public bool UntilCrash { get; init; }

    /// <summary>Time one input may take, for both engines. Default 1 s.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the builtin engine's fuzz loop runs (see <see cref="FuzzMode"/>). Default in process.</summary>
    public FuzzMode Mode { get; init; } = FuzzMode.InProcess;

    /// <summary>Cache of restored packages and instrumented copies.</summary>
    public string CacheDirectory { get; init; } = FuzzTarget.DefaultCacheDirectory;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting; returns this.</summary>
    public FuzzBenchOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory is required: each run keeps its campaign directory there.", nameof(OutputDirectory));
        if (Duration < TimeSpan.FromSeconds(1))
            throw new ArgumentException($"Duration must be at least 1 s, got {Duration}.", nameof(Duration));
        if (Workers is < 1 or > 256)
            throw new ArgumentException($"Workers must be between 1 and 256, got {Workers}.", nameof(Workers));
        if (Repeat is < 1 or > 100)
            throw new ArgumentException($"Repeat must be between 1 and 100, got {Repeat}.", nameof(Repeat));
        if (ExecTimeout < TimeSpan.FromMilliseconds(10))
            throw new ArgumentException($"ExecTimeout must be at least 10 ms, got {ExecTimeout.TotalMilliseconds} ms.", nameof(ExecTimeout));
        if (!Enum.IsDefined(Mode))
            throw new ArgumentException($"Mode must be OutOfProcess or InProcess, got {(int)Mode}.", nameof(Mode));
        return this;
    }
}
