namespace AgentKit.Tools.Dogfood;

/// <summary>Settings of a dogfood run. Defaults suit the benchmark; <see cref="Validate"/> explains what is wrong.</summary>
public sealed record DogfoodOptions
{
    /// <summary>Folder that receives one campaign directory per target (<c>DIR/&lt;target&gt;/crashes/</c> holds its findings). Required.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Names of the targets to run (see <see cref="DogfoodTarget.All"/>). Default: all of them.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>Wall-clock length of each target's campaign. Default 60 s.</summary>
    public TimeSpan DurationPerTarget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Worker processes per campaign. Default: one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Time one input may take before it is a hang. Default 1 s (parsers of small inputs answer in microseconds).</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>GC heap limit of each worker in MiB; going past it is an out-of-memory finding. Default 512.</summary>
    public int MemoryLimitMb { get; init; } = 512;

    /// <summary>Random seed of the mutators (null: time-based).</summary>
    public int? Seed { get; init; }

    /// <summary>Also replay the seeds alone through the worker and count their edges: the peer the fuzzed edges are compared with. Default true.</summary>
    public bool MeasureSeedEdges { get; init; } = true;

    /// <summary>Root of the instrumentation cache. Default: the fuzzing cache under local application data.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The targets selected by <see cref="Targets"/>, in catalog order.</summary>
    /// <exception cref="ArgumentException">A name is unknown.</exception>
    public IReadOnlyList<DogfoodTarget> SelectedTargets()
    {
        if (Targets is null)
            return DogfoodTarget.All;
        var chosen = Targets.Select(DogfoodTarget.Find).ToHashSet();
        return [.. DogfoodTarget.All.Where(chosen.Contains)];
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting; returns this.</summary>
    public DogfoodOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory is required: each target's campaign (corpus, crashes) is kept there.", nameof(OutputDirectory));
        if (DurationPerTarget < TimeSpan.FromSeconds(1))
            throw new ArgumentException($"DurationPerTarget must be at least 1 s, got {DurationPerTarget.TotalSeconds} s.", nameof(DurationPerTarget));
        if (Workers is < 1 or > 256)
            throw new ArgumentException($"Workers must be between 1 and 256, got {Workers}.", nameof(Workers));
        if (ExecTimeout < TimeSpan.FromMilliseconds(10))
            throw new ArgumentException($"ExecTimeout must be at least 10 ms, got {ExecTimeout.TotalMilliseconds} ms.", nameof(ExecTimeout));
        if (MemoryLimitMb < 64)
            throw new ArgumentException($"MemoryLimitMb must be at least 64, got {MemoryLimitMb}.", nameof(MemoryLimitMb));
        if (Targets is { Count: 0 })
            throw new ArgumentException("Targets is empty: leave it unset to run every target.", nameof(Targets));
        _ = SelectedTargets();
        return this;
    }
}
