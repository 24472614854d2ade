using System.Globalization;
using AgentKit.Distillation;
using AgentKit.Training.Sft;
using Spectre.Console;

namespace AgentKit.Cli.Distillation;

/// <summary>
/// Human output of <c>agentkit distill</c>: one line per stage as it starts and ends on stdout, and on stderr
/// the teacher's bar and the SFT bar exactly as <c>atlas teach</c> and <c>train sft</c> show them.
/// </summary>
internal sealed class ConsoleDistillProgress(TextWriter output, TextWriter error) : IDistillProgress
{
    // Stage lines are plain text: a log keeps them whole (Spectre wraps captured output at 80 columns).
    private readonly IAnsiConsole _err = SpectreConsoles.For(error);

    public void StageStarted(string stage, string detail) => output.WriteLine($"{Label(stage)} {detail}");

    public void StageSkipped(string stage, string reason) => output.WriteLine($"{Label(stage)} skipped: {reason}");

    public void StageFinished(string stage, string summary, double seconds) =>
        output.WriteLine($"{Label(stage)} done in {seconds.ToString("F1", CultureInfo.InvariantCulture)} s: {summary}");

    public void Warning(string message) => error.WriteLine($"warning: {message}");

    public Task<T> TrackTeacherAsync<T>(int total, Func<IProgress<bool>?, Task<T>> body) =>
        _err.Progress().StartAsync(async context =>
        {
            var bar = context.AddTask("Teaching", maxValue: total);
            var correct = 0;
            return await body(new SyncProgress<bool>(ok =>
            {
                if (ok) correct++;
                bar.Increment(1);
                bar.Description = $"Teaching ({correct} correct)";
            }));
        });

    public Task<T> TrackSftAsync<T>(Func<IProgress<SftProgress>?, Task<T>> body) =>
        _err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("training", maxValue: 1);
                return await body(new Progress<SftProgress>(p =>
                {
                    task.MaxValue = p.TotalSteps;
                    task.Value = p.Step;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3}{(p.ValidationLoss is { } v ? $" val {v:F3}" : "")} {p.TokensPerSecond:F0} tok/s");
                }));
            });

    private static string Label(string stage) => $"[{stage}]".PadRight(11);
}
