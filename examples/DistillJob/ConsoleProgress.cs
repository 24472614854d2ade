using AgentKit.Distillation;
using AgentKit.Training.Sft;

namespace DistillJobExample;

/// <summary>An app's own progress reporting: one line per stage event, a count of teacher runs, the SFT loss per step.</summary>
internal sealed class ConsoleProgress : IDistillProgress
{
    public void StageStarted(string stage, string detail) => Console.WriteLine($"[{stage}] {detail}");

    public void StageSkipped(string stage, string reason) => Console.WriteLine($"[{stage}] skipped: {reason}");

    public void StageFinished(string stage, string summary, double seconds) => Console.WriteLine($"[{stage}] {summary} ({seconds:F1} s)");

    public void Warning(string message) => Console.Error.WriteLine($"warning: {message}");

    public async Task<T> TrackTeacherAsync<T>(int total, Func<IProgress<bool>?, Task<T>> body)
    {
        var correct = 0;
        var runs = 0;
        // Reported from the teacher's parallel runs: count atomically.
        var result = await body(new InlineProgress<bool>(ok =>
        {
            Interlocked.Increment(ref runs);
            if (ok)
                Interlocked.Increment(ref correct);
        }));
        Console.WriteLine($"  teacher: {correct}/{runs} of {total} runs correct");
        return result;
    }

    public Task<T> TrackSftAsync<T>(Func<IProgress<SftProgress>?, Task<T>> body) =>
        body(new InlineProgress<SftProgress>(p => Console.WriteLine($"  sft step {p.Step}/{p.TotalSteps}: train loss {p.TrainLoss:F3}")));

    /// <summary>Calls the handler on the reporting thread (<see cref="Progress{T}"/> would post it later).</summary>
    private sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
