namespace AgentKit.Cli.Distillation;

/// <summary>The recipe, the agent folder or the work folder is not usable as given; nothing was run (exit 2).</summary>
internal sealed class DistillConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A stage failed while running; the outputs of earlier stages are kept (exit 1).</summary>
internal sealed class DistillStageException(string stage, string message, Exception? inner = null)
    : Exception($"stage '{stage}' failed: {message}", inner)
{
    /// <summary>The stage that failed.</summary>
    public string Stage { get; } = stage;
}
