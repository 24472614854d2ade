using AgentKit.Training.Sft;

namespace AgentKit.Cli.Distillation;

/// <summary>Where the pipeline reports what it does: a console with progress bars, or nothing (<c>--json</c>).</summary>
internal interface IDistillProgress
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

/// <summary>Reports only warnings, on stderr (the <c>--json</c> mode prints nothing but the final report on stdout).</summary>
internal sealed class SilentDistillProgress(TextWriter error) : IDistillProgress
{
    public void StageStarted(string stage, string detail) { }

    public void StageSkipped(string stage, string reason) { }

    public void StageFinished(string stage, string summary, double seconds) { }

    public void Warning(string message) => error.WriteLine($"warning: {message}");

    public Task<T> TrackTeacherAsync<T>(int total, Func<IProgress<bool>?, Task<T>> body) => body(null);

    public Task<T> TrackSftAsync<T>(Func<IProgress<SftProgress>?, Task<T>> body) => body(null);
}
