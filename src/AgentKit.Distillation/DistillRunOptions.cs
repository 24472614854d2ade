namespace AgentKit.Distillation;

/// <summary>Where and how <see cref="DistillPipeline.RunAsync(LoadedRecipe, DistillRunOptions, IDistillProgress?, CancellationToken)"/> runs a recipe.</summary>
public sealed record DistillRunOptions
{
    /// <summary>
    /// The work folder for the stage outputs (default: <c>distill-work/&lt;agent name&gt;</c> under the current folder).
    /// Running again with the same folder resumes.
    /// </summary>
    public string? WorkFolder { get; init; }

    /// <summary>Where to copy the GGUF (default: the recipe's <c>export.out</c>, relative to the agent folder).</summary>
    public string? ExportPath { get; init; }

    /// <summary>CPU threads for training and export (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Clock for stage timings (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting; returns this otherwise.</summary>
    public DistillRunOptions Validate()
    {
        if (Threads is < 1)
            throw new ArgumentException($"threads must be >= 1, got {Threads}.");
        if (WorkFolder is not null && string.IsNullOrWhiteSpace(WorkFolder))
            throw new ArgumentException("the work folder must be a path when set.");
        if (ExportPath is not null && string.IsNullOrWhiteSpace(ExportPath))
            throw new ArgumentException("the export path must be a file path when set.");
        ArgumentNullException.ThrowIfNull(Time);
        return this;
    }

    /// <summary>The absolute work folder for <paramref name="recipe"/>.</summary>
    public string ResolveWorkFolder(LoadedRecipe recipe) => Path.GetFullPath(WorkFolder ?? Path.Combine("distill-work", recipe.AgentName));
}
