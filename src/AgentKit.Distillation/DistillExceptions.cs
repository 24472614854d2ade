namespace AgentKit.Distillation;

/// <summary>The recipe, the agent folder or the work folder is not usable as given; nothing was run (the CLI exits 2).</summary>
/// <param name="message">What is wrong, naming the file or key.</param>
/// <param name="inner">The underlying error, if any.</param>
public sealed class DistillConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A stage failed while running; the outputs of earlier stages are kept (the CLI exits 1).</summary>
/// <param name="stage">The stage that failed.</param>
/// <param name="message">Why.</param>
/// <param name="inner">The underlying error.</param>
public sealed class DistillStageException(string stage, string message, Exception? inner = null)
    : Exception($"stage '{stage}' failed: {message}", inner)
{
    /// <summary>The stage that failed.</summary>
    public string Stage { get; } = stage;
}
