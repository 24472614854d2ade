using AgentKit.Fuzzing;

namespace AgentKit.Tools.Dogfood;

/// <summary>The figures of one target's campaign.</summary>
/// <param name="Target">Target name.</param>
/// <param name="Parser">What the harness drives.</param>
/// <param name="Execs">Inputs run.</param>
/// <param name="ExecsPerSecond">Inputs per wall-clock second.</param>
/// <param name="Edges">Coverage-map cells reached by the campaign.</param>
/// <param name="SeedEdges">Cells the seeds alone reach (null when not measured): the peer of <paramref name="Edges"/>.</param>
/// <param name="Corpus">Inputs kept for new coverage.</param>
/// <param name="Crashes">Distinct findings (deduplicated by signature), with their saved minimal inputs.</param>
/// <param name="Hangs">Saved inputs that ran past the time limit.</param>
/// <param name="Seconds">Wall time of the campaign.</param>
/// <param name="CampaignDirectory">The campaign folder (<c>crashes/</c>, <c>hangs/</c>, <c>corpus/</c>, <c>stats.json</c>).</param>
public sealed record DogfoodTargetReport(
    string Target, string Parser, long Execs, double ExecsPerSecond, int Edges, int? SeedEdges, int Corpus,
    IReadOnlyList<FuzzCrash> Crashes, int Hangs, double Seconds, string CampaignDirectory);

/// <summary>The result of a dogfood run.</summary>
/// <param name="Targets">One row per target, in catalog order.</param>
/// <param name="SecondsPerTarget">Campaign length of each target.</param>
/// <param name="Workers">Worker processes per campaign.</param>
/// <param name="OutputDirectory">The folder holding the campaign directories.</param>
public sealed record DogfoodReport(IReadOnlyList<DogfoodTargetReport> Targets, double SecondsPerTarget, int Workers, string OutputDirectory)
{
    /// <summary>Distinct findings over all targets.</summary>
    public int TotalCrashes => Targets.Sum(t => t.Crashes.Count);

    /// <summary>Saved hangs over all targets.</summary>
    public int TotalHangs => Targets.Sum(t => t.Hangs);
}
