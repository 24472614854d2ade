namespace AgentKit.Fuzzing;

/// <summary>Settings of a builtin-engine campaign. Defaults suit a laptop; <see cref="Validate"/> explains what is wrong.</summary>
public sealed record FuzzCampaignOptions
{
    /// <summary>Campaign directory (corpus/, crashes/, hangs/, stats). Reusing one resumes it. Required.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Wall-clock length of the campaign. Default 60 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Worker processes. Default: one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Time one input may take before it is a hang. Default 1 s.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>GC heap limit of each worker in MiB; going past it is an out-of-memory finding. Default 1024.</summary>
    public int MemoryLimitMb { get; init; } = 1024;

    /// <summary>Longest input the mutator makes (seeds may be longer). Default 4096 bytes.</summary>
    public int MaxInputBytes { get; init; } = 4096;

    /// <summary>Folder of seed inputs run before mutation starts (optional).</summary>
    public string? SeedDirectory { get; init; }

    /// <summary>Extra dictionary tokens (added to the harness's and the target's string literals).</summary>
    public IReadOnlyList<string> Dictionary { get; init; } = [];

    /// <summary>Random seed of the mutator (null: time-based).</summary>
    public int? Seed { get; init; }

    /// <summary>Stop once this many distinct crashes are known (1: time to first crash). Default null: run the full duration.</summary>
    public int? StopAfterCrashes { get; init; }

    /// <summary>Executions spent minimising each new crash (0 disables). Default 400.</summary>
    public int MinimizeBudget { get; init; } = 400;

    /// <summary>
    /// Mutants sent to a worker in one round trip (1: one at a time). A batch that kills or hangs its worker is rerun
    /// one input at a time, so findings stay attributed to the exact input. Default 16.
    /// </summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Where the fuzz loop runs: <see cref="FuzzMode.InProcess"/> (default; each worker fuzzes on its own and sends only
    /// finds; <see cref="BatchSize"/> unused) or <see cref="FuzzMode.OutOfProcess"/> (the engine mutates and sends every
    /// input: about afl's speed, 2.7× to 12× slower than in-process on the built-in harnesses).
    /// </summary>
    public FuzzMode Mode { get; init; } = FuzzMode.InProcess;

    /// <summary>In-process mode: how long a worker fuzzes between two exchanges with the engine. Default 250 ms.</summary>
    public TimeSpan SliceLength { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Path of <c>AgentKit.Tools.FuzzRunner.dll</c>; default: next to this assembly.</summary>
    public string? RunnerPath { get; init; }

    /// <summary>Time a worker may take to load the target. Default 60 s.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An AFL++ sync directory (the <c>-o</c> shared by <c>afl-fuzz -M/-S</c> instances, local or on a shared disk) that
    /// the builtin engine joins as the secondary <see cref="InstanceName"/>: it exports its corpus there in afl's queue
    /// layout and imports every other instance's queue. Null (default): no syncing.
    /// </summary>
    public string? SyncDirectory { get; init; }

    /// <summary>This engine's instance name in <see cref="SyncDirectory"/> (letters, digits, '_' and '-', as afl requires). Default <c>agentkit</c>.</summary>
    public string InstanceName { get; init; } = "agentkit";

    /// <summary>How often the other instances' queues are read (also once at the start). Default 5 s.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Model-written inputs: a generator asked about the campaign's frontier every so often, whose answers run like seeds
    /// (builtin engine), or on the block-mode twin with those that add coverage handed to afl-fuzz (afl engine).
    /// Null (default): mutation only.
    /// </summary>
    public LanguageModel.LmSeedingOptions? LanguageModel { get; init; }

    /// <summary>Clock for durations and deadlines.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting; returns this.</summary>
    public FuzzCampaignOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory is required: the campaign keeps its corpus and findings there.", nameof(OutputDirectory));
        if (Duration <= TimeSpan.Zero)
            throw new ArgumentException($"Duration must be positive, got {Duration}.", nameof(Duration));
        if (Workers is < 1 or > 256)
            throw new ArgumentException($"Workers must be between 1 and 256, got {Workers}.", nameof(Workers));
        if (ExecTimeout < TimeSpan.FromMilliseconds(10))
            throw new ArgumentException($"ExecTimeout must be at least 10 ms, got {ExecTimeout.TotalMilliseconds} ms.", nameof(ExecTimeout));
        if (MemoryLimitMb < 64)
            throw new ArgumentException($"MemoryLimitMb must be at least 64 (the runtime itself needs some), got {MemoryLimitMb}.", nameof(MemoryLimitMb));
        if (MaxInputBytes is < 1 or > 16 * 1024 * 1024)
            throw new ArgumentException($"MaxInputBytes must be between 1 and 16 MiB, got {MaxInputBytes}.", nameof(MaxInputBytes));
        if (StopAfterCrashes is < 1)
            throw new ArgumentException($"StopAfterCrashes must be at least 1, got {StopAfterCrashes}.", nameof(StopAfterCrashes));
        if (BatchSize is < 1 or > Shared.WorkerProtocol.MaxBatch)
            throw new ArgumentException($"BatchSize must be between 1 and {Shared.WorkerProtocol.MaxBatch}, got {BatchSize}.", nameof(BatchSize));
        if (!Enum.IsDefined(Mode))
            throw new ArgumentException($"Mode must be OutOfProcess or InProcess, got {(int)Mode}.", nameof(Mode));
        if (SliceLength < TimeSpan.FromMilliseconds(10) || SliceLength > TimeSpan.FromSeconds(10))
            throw new ArgumentException($"SliceLength must be between 10 ms and 10 s, got {SliceLength.TotalMilliseconds} ms.", nameof(SliceLength));
        if (MinimizeBudget < 0)
            throw new ArgumentException($"MinimizeBudget cannot be negative, got {MinimizeBudget}.", nameof(MinimizeBudget));
        if (SeedDirectory is not null && !Directory.Exists(SeedDirectory))
            throw new ArgumentException($"seed directory not found: {SeedDirectory}", nameof(SeedDirectory));
        if (!Engine.AflSyncDirectory.IsValidInstanceName(InstanceName))
            throw new ArgumentException($"InstanceName must be 1-32 letters, digits, '_' or '-' (afl's rule), got '{InstanceName}'.", nameof(InstanceName));
        if (SyncInterval < TimeSpan.FromMilliseconds(100))
            throw new ArgumentException($"SyncInterval must be at least 100 ms, got {SyncInterval.TotalMilliseconds} ms.", nameof(SyncInterval));
        if (RunnerPath is not null && !File.Exists(RunnerPath))
            throw new ArgumentException($"fuzz runner not found: {RunnerPath}", nameof(RunnerPath));
        return this;
    }
}
