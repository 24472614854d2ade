using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.LanguageModel;

namespace AgentKit.Fuzzing.Afl;

/// <summary>
/// Model-written inputs beside afl-fuzz: an <see cref="LmSeeder"/> on its own thread with an <see cref="AflLmHost"/>,
/// started with the instances and stopped after them, and the report's <c>lm</c> section (the builtin engine's shape).
/// </summary>
internal sealed class AflLmRun
{
    // As the builtin engine: a model call is cancelled at once, building questions is not; past this the counts so far go out.
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private readonly LmSeedingOptions _options;
    private readonly LmSeeder _seeder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _rounds;

    /// <summary>Starts the rounds for the afl instances in <paramref name="instanceDirs"/>.</summary>
    public AflLmRun(LmSeedingOptions options, CampaignDirectory directory, IReadOnlyList<string> instanceDirs, FuzzCampaignOptions campaign)
    {
        _options = options;
        var tally = new LmTally();
        Host = new AflLmHost(directory, instanceDirs, tally, campaign.TimeProvider);
        _seeder = new LmSeeder(options, Host, directory.ManifestPath, campaign, tally);
        _rounds = Task.Factory.StartNew(() => _seeder.RunAsync(_stop.Token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The host the campaign's monitor feeds afl's stats to.</summary>
    public AflLmHost Host { get; }

    /// <summary>Ends the rounds (waiting at most 10 s for one in progress).</summary>
    public void Stop()
    {
        _stop.Cancel();
        _ = _rounds.Wait(StopWait);
        _stop.Dispose();
    }

    /// <summary>The <c>lm</c> section for a campaign of <paramref name="campaignSeconds"/>.</summary>
    public LmReport Report(double campaignSeconds) =>
        _seeder.Tally.Report(_options.ModelName ?? _options.Generator.Model.Name, campaignSeconds);
}
