using System.Globalization;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Core.Cascade;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting;

namespace AgentKit.Atlas.Evaluation;

/// <summary>What <see cref="CascadeSweep.RunAsync"/> measures. Validated by <see cref="Validate"/>.</summary>
public sealed record CascadeSweepOptions
{
    /// <summary>The teacher's OpenAI-compatible endpoint.</summary>
    public required string TeacherEndpoint { get; init; }

    /// <summary>The model name to request from it.</summary>
    public required string TeacherModel { get; init; }

    /// <summary>
    /// Rules to compare (default: the sequence total and the 10th token percentile); <see cref="DeferralRuleSpec.ParseRule"/>
    /// reads them by name. Each names its passes and points (<see cref="IDeferralRule.Name"/>), so names must differ.
    /// </summary>
    public IReadOnlyList<IDeferralRule> Rules { get; init; } = [new SequenceTotalRule(), new TokenQuantileRule(TokenStatistic.P10)];

    /// <summary>Target shares of steps deferred, each in (0, 1) (default 0.1, 0.2, 0.3, 0.5).</summary>
    public IReadOnlyList<double> Shares { get; init; } = [0.1, 0.2, 0.3, 0.5];

    /// <summary>Folder for each pass's trajectories (the calibration pass's are read back for thresholds).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting; returns this otherwise.</summary>
    public CascadeSweepOptions Validate()
    {
        if (!Uri.TryCreate(TeacherEndpoint, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(TeacherModel))
            throw new ArgumentException($"the teacher needs an absolute endpoint URL and a model name, got '{TeacherEndpoint}' and '{TeacherModel}'.");
        if (Rules.Count == 0)
            throw new ArgumentException("at least one rule is needed.");
        if (Rules.Select(r => r.Name).Distinct().Count() != Rules.Count)
            throw new ArgumentException($"rules must have distinct names, got {string.Join(", ", Rules.Select(r => r.Name))}.");
        if (Shares.Count == 0 || Shares.Any(s => !(s is > 0 and < 1)))
            throw new ArgumentException($"shares must lie strictly between 0 and 1, got {string.Join(", ", Shares)}.");
        if (string.IsNullOrWhiteSpace(OutputFolder))
            throw new ArgumentException("an output folder is needed.");
        return this;
    }
}

/// <summary>One point of the quality–deferral curve.</summary>
/// <param name="Rule">The rule (<c>student</c> and <c>teacher</c> for the two ends).</param>
/// <param name="TargetShare">The share of steps the threshold was set to defer on the calibration pass.</param>
/// <param name="Threshold">The uncertainty threshold; null for the two ends (never or always deferred).</param>
/// <param name="DeferredShare">The share of model requests actually deferred.</param>
/// <param name="Success">Share of questions answered correctly.</param>
/// <param name="Correct">Questions answered correctly.</param>
/// <param name="Questions">Questions run.</param>
public sealed record CascadePoint(string Rule, double TargetShare, double? Threshold, double DeferredShare, double Success, int Correct, int Questions);

/// <summary>The sweep's result: the two ends and one point per rule and share.</summary>
/// <param name="Questions">The question file.</param>
/// <param name="Points">Student alone, teacher alone, then each rule's points by share.</param>
public sealed record CascadeSweepReport(string Questions, IReadOnlyList<CascadePoint> Points);

/// <summary>
/// Measures a cascade on atlas questions: quality against the share of steps deferred to the teacher, per rule. A
/// calibration pass runs the student alone through a cascade that never defers, recording every action step's token
/// statistics; each rule's threshold for a target share is the matching quantile of its uncertainty over those steps.
/// Then one pass per rule and share, and the teacher alone (a cascade that always defers). Success is graded with
/// <see cref="Scoring.AtlasAnswerScorer"/>, N=1.
/// </summary>
public static class CascadeSweep
{
    /// <summary>Runs the sweep.</summary>
    /// <param name="student">The agent whose model is the student (its own cascade setting is replaced).</param>
    /// <param name="questionsSource">The question file, named in the report.</param>
    /// <param name="questions">The questions.</param>
    /// <param name="options">Teacher, rules, shares and output folder.</param>
    /// <param name="progress">Hears each pass's progress.</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    public static async Task<CascadeSweepReport> RunAsync(AgentHostSettings student, string questionsSource, IReadOnlyList<AtlasQuestion> questions,
        CascadeSweepOptions options, IProgress<AtlasEvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        Directory.CreateDirectory(options.OutputFolder);
        var points = new List<CascadePoint>();

        var calibration = await PassAsync("student", 0, new CascadeOptions(new SequenceTotalRule(), double.PositiveInfinity)).ConfigureAwait(false);
        var steps = StudentSteps(calibration.Trajectories!);
        if (steps.Count == 0)
            throw new InvalidOperationException("The calibration pass recorded no action step with token statistics.");
        points.Add(Point("student", 0, null, calibration));
        foreach (var rule in options.Rules)
        {
            var scores = steps.Select(rule.Uncertainty).Order().ToList();
            foreach (var share in options.Shares)
            {
                var threshold = UncertaintyFeatures.Quantile(scores, 1 - share);
                var pass = await PassAsync(rule.Name, share, new CascadeOptions(rule, threshold)).ConfigureAwait(false);
                points.Add(Point(rule.Name, share, threshold, pass));
            }
        }
        var teacher = await PassAsync("teacher", 1, new CascadeOptions(new SequenceTotalRule(), double.NegativeInfinity)).ConfigureAwait(false);
        points.Add(Point("teacher", 1, null, teacher));
        return new CascadeSweepReport(Path.GetFullPath(questionsSource), points);

        async Task<AtlasEvalPass> PassAsync(string name, double share, CascadeOptions cascade)
        {
            var folder = Path.Combine(options.OutputFolder, $"{name}-{share.ToString("0.##", CultureInfo.InvariantCulture)}");
            var settings = student with { Cascade = new CascadeSettings(options.TeacherEndpoint, options.TeacherModel, cascade) };
            var report = await AtlasEvaluation.RunAsync(settings, questionsSource, questions,
                new AtlasEvalOptions { Candidates = [1], TrajectoryFolder = folder }, progress, cancellationToken).ConfigureAwait(false);
            return report.Configurations.Single();
        }
    }

    private static CascadePoint Point(string rule, double target, double? threshold, AtlasEvalPass pass) =>
        new(rule, target, threshold, Math.Round(pass.DeferredShare, 4), pass.Success, pass.Families.Sum(f => f.Correct), pass.Questions);

    private static List<Abstractions.Models.TokenUncertainty> StudentSteps(string trajectories) =>
        [.. JsonlTrajectoryReader.Read(trajectories).Records
            .SelectMany(r => r.Steps.OfType<ActionStep>())
            .Where(s => s.Cascade is { Deferred: false })
            .Select(s => s.Cascade!.Features)];
}
