namespace AgentKit.Fuzzing.Execution;

/// <summary>
/// Watches one campaign thread's in-process slices for workers that end before running any input (they died or hung
/// setting up their fuzz loop, so no input is to blame and the campaign just starts another). Once is bad luck on a busy
/// machine; <see cref="Limit"/> times in a row is a setup that cannot work, and replacing workers until the time is up
/// would end the campaign with nothing run and no reason given.
/// </summary>
internal sealed class InProcessSetupGuard
{
    /// <summary>Consecutive setup failures that stop the campaign.</summary>
    public const int Limit = 3;

    private int _inARow;

    /// <summary>Counts <paramref name="slice"/>: a slice that ran an input resets the count.</summary>
    /// <exception cref="InvalidOperationException">The <see cref="Limit"/>-th worker in a row ended before its first input; the message says how.</exception>
    public void Check(FuzzSliceResult slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        if (slice.Ended is not { } ended || slice.EndedInput is not null || slice.Execs > 0 || slice.Found.Count > 0)
        {
            _inARow = 0;
            return;
        }
        if (++_inARow < Limit)
            return;
        var how = ended.Kind == ExecKind.Hang ? "hung" : ended.ExitCode is { } code ? $"died (exit code {code})" : "died";
        var stderr = ended.Stderr?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        throw new InvalidOperationException(
            $"the in-process worker {how} {Limit} times in a row before running any input{(stderr is null ? "" : $": {stderr}")}; " +
            "the target or its fuzz loop cannot start in this mode (try --mode out-of-process, which runs one input at a time and names the one that fails)");
    }
}
