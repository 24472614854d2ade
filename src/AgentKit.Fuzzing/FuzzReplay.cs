using System.Diagnostics;

namespace AgentKit.Fuzzing;

/// <summary>What one saved input did when run again: the runner's output, its error text and exit code.</summary>
/// <param name="Output">What the runner printed (the outcome, exception and stack).</param>
/// <param name="Errors">Its error stream, cut to <see cref="FuzzReplay.MaxErrorChars"/> characters.</param>
/// <param name="ExitCode">The runner's exit code; 134 is an abort (stack overflow or fatal runtime error).</param>
public sealed record FuzzReplayResult(string Output, string Errors, int ExitCode)
{
    /// <summary>True when the runner aborted (exit code 134: stack overflow or a fatal runtime error).</summary>
    public bool Aborted => ExitCode == 134;
}

/// <summary>
/// Re-runs one saved input (<c>DIR/crashes/ID</c>, <c>DIR/hangs/ID</c>, a queue entry) against its campaign's
/// instrumented target in a fresh fuzz runner process, so a crash can be seen with its stack.
/// </summary>
public static class FuzzReplay
{
    /// <summary>Most characters of the runner's error stream kept in <see cref="FuzzReplayResult.Errors"/>.</summary>
    public const int MaxErrorChars = 8000;

    /// <summary>Replays <paramref name="input"/> with the runner at <paramref name="runnerPath"/> (default <see cref="FuzzCampaign.DefaultRunnerPath"/>).</summary>
    /// <exception cref="ArgumentException">The input does not exist or is not two levels inside a campaign directory (no <c>target.json</c>).</exception>
    public static async Task<FuzzReplayResult> RunAsync(string input, string? runnerPath = null, CancellationToken cancellationToken = default)
    {
        var file = Path.GetFullPath(input);
        if (!File.Exists(file))
            throw new ArgumentException($"input not found: {file}");
        var manifest = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(file)!)!, "target.json");
        if (!File.Exists(manifest))
            throw new ArgumentException($"{file} is not inside a campaign directory (no target.json two levels up)");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { runnerPath ?? FuzzCampaign.DefaultRunnerPath, "replay", manifest, file })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the fuzz runner");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        return new FuzzReplayResult(await stdout.ConfigureAwait(false), errors.Length > MaxErrorChars ? errors[..MaxErrorChars] + "\n…" : errors, process.ExitCode);
    }
}
