using AgentKit.Training.Sft;

namespace AgentKit.Distillation;

/// <summary>
/// Where <see cref="DistillPipeline"/> reports what it does: stage events, warnings, and the two long loops (teacher
/// runs, SFT steps) that a user interface may wrap in progress bars. <see cref="SilentDistillProgress"/> reports only warnings.
/// </summary>
public interface IDistillProgress
{
    /// <summary>A stage starts (<paramref name="detail"/> says what it will do).</summary>
    void StageStarted(string stage, string detail);

    /// <summary>A stage is skipped because its output is complete.</summary>
    void StageSkipped(string stage, string reason);

    /// <summary>A stage finished.</summary>
    void StageFinished(string stage, string summary, double seconds);

    /// <summary>Something the user should know that does not stop the run.</summary>
    void Warning(string message);

    /// <summary>Runs <paramref name="body"/> with a bar over <paramref name="total"/> teacher runs; the body reports each run's correctness.</summary>
    Task<T> TrackTeacherAsync<T>(int total, Func<IProgress<bool>?, Task<T>> body);

    /// <summary>Runs <paramref name="body"/> with the SFT progress bar; the body reports every step.</summary>
    Task<T> TrackSftAsync<T>(Func<IProgress<SftProgress>?, Task<T>> body);
}

/// <summary>Reports only warnings, as <c>warning: …</c> lines on <paramref name="error"/> (null: nowhere).</summary>
/// <param name="error">Where warnings go (for a command-line tool, stderr; its stdout keeps only the final report).</param>
public sealed class SilentDistillProgress(TextWriter? error = null) : IDistillProgress
{
    /// <inheritdoc />
    public void StageStarted(string stage, string detail) { }

    /// <inheritdoc />
    public void StageSkipped(string stage, string reason) { }

    /// <inheritdoc />
    public void StageFinished(string stage, string summary, double seconds) { }

    /// <inheritdoc />
    public void Warning(string message) => error?.WriteLine($"warning: {message}");

    /// <inheritdoc />
    public Task<T> TrackTeacherAsync<T>(int total, Func<IProgress<bool>?, Task<T>> body) => body(null);

    /// <inheritdoc />
    public Task<T> TrackSftAsync<T>(Func<IProgress<SftProgress>?, Task<T>> body) => body(null);
}
