using System.Globalization;
using System.Text;

namespace AgentKit.Atlas.Evaluation;

/// <summary>One question's outcome in one pass.</summary>
/// <param name="Id">Question id.</param>
/// <param name="Family">Question family.</param>
/// <param name="Question">Question text.</param>
/// <param name="Gold">Gold answer.</param>
/// <param name="Answer">The answer given (<c>refused (empty question)</c> when the runtime refused an empty question).</param>
/// <param name="Correct">Graded correct by <see cref="Scoring.AtlasAnswerScorer"/>.</param>
/// <param name="Steps">Action steps taken.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Candidates">Candidate actions sampled.</param>
/// <param name="ParseErrors">Sampled candidates that did not parse.</param>
/// <param name="Error">Why the run failed, if it did.</param>
public sealed record QuestionOutcome(string Id, string Family, string Question, string Gold, string? Answer, bool Correct, int Steps,
    double Seconds, int Candidates, int ParseErrors, string? Error);

/// <summary>Success on one question family.</summary>
/// <param name="Family">The family.</param>
/// <param name="Questions">Its questions.</param>
/// <param name="Correct">Correct answers.</param>
/// <param name="Success">Share correct.</param>
public sealed record FamilySuccess(string Family, int Questions, int Correct, double Success);

/// <summary>What became of the unanswerable questions.</summary>
/// <param name="Questions">Unanswerable questions.</param>
/// <param name="NotFound">Answered "not found" (correct).</param>
/// <param name="Refused">Refused as empty.</param>
/// <param name="Invented">Answered with something else.</param>
/// <param name="Errors">Runs that failed.</param>
public sealed record BadOutcomes(int Questions, int NotFound, int Refused, int Invented, int Errors);

/// <summary>One pass: a candidate count, or the programmatic teacher.</summary>
/// <param name="Name"><c>N=1</c>, <c>N=8</c>, … or <c>teacher</c>.</param>
/// <param name="N">Candidates per step.</param>
/// <param name="Questions">Questions run.</param>
/// <param name="Success">Share correct.</param>
/// <param name="Families">Success per family, unanswerable last.</param>
/// <param name="ParseErrorRate">Share of sampled actions that did not parse.</param>
/// <param name="MeanSteps">Mean action steps per question run.</param>
/// <param name="SecondsPerTask">Mean wall time per question run.</param>
/// <param name="Bad">What became of the unanswerable questions.</param>
/// <param name="Trajectories">Where the pass's runs were recorded, if anywhere.</param>
/// <param name="Results">Per question.</param>
public sealed record AtlasEvalPass(string Name, int N, int Questions, double Success, IReadOnlyList<FamilySuccess> Families, double ParseErrorRate,
    double MeanSteps, double SecondsPerTask, BadOutcomes Bad, string? Trajectories, IReadOnlyList<QuestionOutcome> Results)
{
    /// <summary>The sampling seed of a seeded pass (<see cref="AtlasEvalOptions.Seeds"/>); null otherwise.</summary>
    public int? Seed { get; init; }

    /// <summary>With a cascade: the model requests its deferral rule scored; null without one.</summary>
    public long? CascadeRequests { get; init; }

    /// <summary>With a cascade: the requests it sent to the teacher; null without one.</summary>
    public long? DeferredRequests { get; init; }

    /// <summary>Share of model requests deferred to the teacher (0 without a cascade).</summary>
    public double DeferredShare => CascadeRequests is > 0 ? (double)DeferredRequests!.Value / CascadeRequests.Value : 0;
}

/// <summary>A candidate count's success over several sampling seeds (<see cref="AtlasEvalOptions.Seeds"/>).</summary>
/// <param name="Name"><c>N=1</c>, <c>N=8</c>, ….</param>
/// <param name="N">Candidates per step.</param>
/// <param name="Seeds">The seeds, one pass each.</param>
/// <param name="MeanSuccess">Mean of the passes' success.</param>
/// <param name="SuccessSd">Sample standard deviation of the passes' success (0 for one seed).</param>
/// <param name="Families">Mean correct answers per family over the passes.</param>
public sealed record AtlasEvalSpread(string Name, int N, IReadOnlyList<int> Seeds, double MeanSuccess, double SuccessSd, IReadOnlyList<FamilyMean> Families);

/// <summary>A family's mean correct answers over several passes.</summary>
/// <param name="Family">The family.</param>
/// <param name="Questions">Its questions.</param>
/// <param name="MeanCorrect">Mean correct answers per pass.</param>
public sealed record FamilyMean(string Family, int Questions, double MeanCorrect);

/// <summary>The atlas agent's evaluation table (<c>agentkit atlas eval --json</c> prints it).</summary>
/// <param name="Questions">The question file.</param>
/// <param name="Model">The model evaluated (file or endpoint).</param>
/// <param name="Configurations">One per pass.</param>
public sealed record AtlasEvalReport(string Questions, string Model, IReadOnlyList<AtlasEvalPass> Configurations)
{
    /// <summary>Per candidate count, the mean and spread over the seeded passes; empty when the passes were not seeded.</summary>
    public IReadOnlyList<AtlasEvalSpread> Spreads =>
        [.. Configurations.Where(c => c.Seed is not null).GroupBy(c => c.N).Select(g => Spread(g.Key, g.ToList()))];

    private static AtlasEvalSpread Spread(int n, IReadOnlyList<AtlasEvalPass> passes)
    {
        var mean = passes.Average(p => p.Success);
        var sd = passes.Count < 2 ? 0 : Math.Sqrt(passes.Sum(p => (p.Success - mean) * (p.Success - mean)) / (passes.Count - 1));
        var families = passes[0].Families.Select(f => new FamilyMean(f.Family, f.Questions,
            Math.Round(passes.Average(p => p.Families.FirstOrDefault(x => x.Family == f.Family)?.Correct ?? 0), 2))).ToList();
        return new AtlasEvalSpread($"N={n}", n, [.. passes.Select(p => p.Seed!.Value)], Math.Round(mean, 4), Math.Round(sd, 4), families);
    }

    /// <summary>One line per <see cref="Spreads"/> entry, e.g. <c>N=1 over seeds 1, 2, 3: 84.9% ± 1.2 (comparison 16.0/40, …)</c>.</summary>
    public IReadOnlyList<string> SpreadLines() =>
        [.. Spreads.Select(s => $"{s.Name} over seeds {string.Join(", ", s.Seeds)}: {(s.MeanSuccess * 100).ToString("F1", CultureInfo.InvariantCulture)}% "
            + $"± {(s.SuccessSd * 100).ToString("F1", CultureInfo.InvariantCulture)} (mean ± sd; "
            + string.Join(", ", s.Families.Select(f => $"{f.Family} {f.MeanCorrect.ToString("0.0#", CultureInfo.InvariantCulture)}/{f.Questions}")) + ")")];

    /// <summary>The report as metric rows with one value per configuration (shared by console and Markdown tables).</summary>
    public IReadOnlyList<(string Metric, IReadOnlyList<string> Values)> TableRows()
    {
        string Percent(double v) => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
        var rows = new List<(string, IReadOnlyList<string>)>
        {
            ("success", [.. Configurations.Select(c => $"{Percent(c.Success)} ({c.Families.Sum(f => f.Correct)}/{c.Questions})")]),
        };
        foreach (var family in Configurations.SelectMany(c => c.Families.Select(f => f.Family)).Distinct())
        {
            rows.Add(($"  {family}", [.. Configurations.Select(c => c.Families.FirstOrDefault(f => f.Family == family) is { } f
                ? $"{Percent(f.Success)} ({f.Correct}/{f.Questions})" : "-")]));
        }
        rows.Add(("parse errors per sampled action", [.. Configurations.Select(c => c.Name == "teacher" ? "-" : Percent(c.ParseErrorRate))]));
        if (Configurations.Any(c => c.CascadeRequests is not null))
            rows.Add(("requests deferred to the teacher", [.. Configurations.Select(c => c.CascadeRequests is { } r ? $"{Percent(c.DeferredShare)} ({c.DeferredRequests}/{r})" : "-")]));
        rows.Add(("mean steps", [.. Configurations.Select(c => c.MeanSteps.ToString("F2", CultureInfo.InvariantCulture))]));
        rows.Add(("seconds per task", [.. Configurations.Select(c => c.SecondsPerTask.ToString("F2", CultureInfo.InvariantCulture))]));
        rows.Add(("bad questions: not found / refused / invented / error",
            [.. Configurations.Select(c => $"{c.Bad.NotFound} / {c.Bad.Refused} / {c.Bad.Invented} / {c.Bad.Errors}")]));
        return rows;
    }

    /// <summary>The table as Markdown (for a model card).</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| metric | ").AppendJoin(" | ", Configurations.Select(c => c.Name)).Append(" |\n");
        sb.Append("|---|").AppendJoin("", Configurations.Select(_ => "---|")).Append('\n');
        foreach (var (metric, values) in TableRows())
            sb.Append("| ").Append(metric.Trim()).Append(" | ").AppendJoin(" | ", values).Append(" |\n");
        foreach (var line in SpreadLines())
            sb.Append('\n').Append(line).Append('\n');
        return sb.ToString();
    }
}
