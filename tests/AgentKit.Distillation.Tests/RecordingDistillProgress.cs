using AgentKit.Training.Sft;

namespace AgentKit.Distillation.Tests;

/// <summary>Keeps every stage event as a line (<c>started teacher</c>, <c>skipped sft</c>, …) and every warning.</summary>
public sealed class RecordingDistillProgress : IDistillProgress
{
    public List<string> Events { get; } = [];

    public List<string> Warnings { get; } = [];

    public int TeacherRuns { get; private set; }

    public int SftSteps { get; private set; }

    /// <summary>Called after each teacher run is counted, with the count so far (a test stops a run part-way through this).</summary>
    public Action<int>? AfterTeacherRun { get; init; }

    public void StageStarted(string stage, string detail) => Add($"started {stage}");

    public void StageSkipped(string stage, string reason) => Add($"skipped {stage}");

    public void StageFinished(string stage, string summary, double seconds) => Add($"finished {stage}");

    public void Warning(string message)
    {
        lock (Warnings) Warnings.Add(message);
    }

    public Task<T> TrackTeacherAsync<T>(int total, Func<IProgress<bool>?, Task<T>> body) =>
        body(new Counter<bool>(() =>
        {
            var runs = ++TeacherRuns; // counted whether or not a callback is set ('?.' would skip evaluating its argument)
            AfterTeacherRun?.Invoke(runs);
        }));

    public Task<T> TrackSftAsync<T>(Func<IProgress<SftProgress>?, Task<T>> body) =>
        body(new Counter<SftProgress>(() => SftSteps++));

    private void Add(string line)
    {
        lock (Events) Events.Add(line);
    }

    /// <summary>Counts reports; parallel teacher runs report from several threads.</summary>
    private sealed class Counter<T>(Action count) : IProgress<T>
    {
        private readonly object _gate = new();

        public void Report(T value)
        {
            lock (_gate) count();
        }
    }
}
