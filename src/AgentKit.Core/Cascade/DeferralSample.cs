using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Cascade;

/// <summary>One student step for fitting a deferral rule: its token statistics and whether its run ended wrong.</summary>
/// <param name="Features">The student's token statistics for the step.</param>
/// <param name="Failed">Whether the run the step belongs to was scored wrong.</param>
public sealed record DeferralSample(TokenUncertainty Features, bool Failed)
{
    /// <summary>
    /// The student-produced action steps of scored runs that recorded their uncertainty (runs made through a cascade,
    /// deferring or not). A step is labelled with its run's outcome: the only label recorded runs give.
    /// </summary>
    public static IEnumerable<DeferralSample> From(IEnumerable<TrajectoryRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            if (record.Score is not { } score || record.Outcome is not (RunOutcome.Answered or RunOutcome.StepLimit))
                continue;
            foreach (var step in record.Steps.OfType<ActionStep>())
            {
                if (step.Cascade is { Deferred: false } routing)
                    yield return new DeferralSample(routing.Features, !score.Correct);
            }
        }
    }
}
