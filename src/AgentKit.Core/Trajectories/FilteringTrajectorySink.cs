using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>Passes on only the runs <c>keep</c> accepts (e.g. correct runs, when recording teacher data).</summary>
public sealed class FilteringTrajectorySink(ITrajectorySink inner, Func<TrajectoryRecord, bool> keep) : ITrajectorySink
{
    /// <summary>Keeps runs whose answer was scored correct.</summary>
    public static FilteringTrajectorySink CorrectOnly(ITrajectorySink inner) => new(inner, r => r.Score?.Correct == true);

    /// <summary>Runs passed on so far.</summary>
    public int Kept => _kept;

    /// <summary>Runs dropped so far.</summary>
    public int Dropped => _dropped;

    private int _kept;
    private int _dropped;

    /// <inheritdoc />
    public async ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!keep(record))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        await inner.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _kept);
    }
}
