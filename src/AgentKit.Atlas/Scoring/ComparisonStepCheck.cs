using System.Globalization;
using System.Text.RegularExpressions;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;

namespace AgentKit.Atlas.Scoring;

/// <summary>
/// A per-step check of a comparison run, separate from its final answer: the step that printed the two values and its
/// pick (<c>"A: 1, B: 2; larger: B"</c>, the line the atlas teacher's code prints) is graded on two independent
/// points. <b>Direction</b>: the label it chose the result under (<c>larger</c>, <c>smaller</c>, <c>later</c>,
/// <c>earlier</c>) is the one the question asks for. <b>Consistency</b>: the country it picked really has that label's
/// value among the two numbers it printed (an operator that contradicts its variable's name fails here).
/// </summary>
/// <remarks>
/// Why it exists: an outcome reward cannot tell these two errors apart — a wrong label with a contradicting operator
/// gives the right answer — so on its own it rewards the contradiction half of the time. Pure: the same question and
/// run always grade the same.
/// </remarks>
public static partial class ComparisonStepCheck
{
    /// <summary>Grades <paramref name="run"/> on <paramref name="question"/>; null when the question is not a comparison.</summary>
    public static ComparisonStepGrade? Grade(AtlasQuestion question, TrajectoryRecord run)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(run);
        if (question.Family != QuestionFamilies.Comparison)
            return null;
        var wantsLarger = question.Param("direction") == "max";
        foreach (var step in run.Steps.OfType<ActionStep>())
        {
            if (step.IsError || PickLine().Match(step.Observation.Trim()) is not { Success: true } line)
                continue;
            if (!TryNumber(line.Groups["va"].Value, out var va) || !TryNumber(line.Groups["vb"].Value, out var vb) || va == vb)
                continue;
            var label = line.Groups["label"].Value;
            var labelMeansLarger = label is "larger" or "later";
            var picked = line.Groups["pick"].Value.Trim();
            var (a, b) = (line.Groups["a"].Value.Trim(), line.Groups["b"].Value.Trim());
            if (picked != a && picked != b)
                return new ComparisonStepGrade(labelMeansLarger == wantsLarger, false, $"step {step.Step} picked '{picked}', neither country it printed");
            var pickedIsLarger = picked == a ? va > vb : vb > va;
            var direction = labelMeansLarger == wantsLarger;
            var consistent = pickedIsLarger == labelMeansLarger;
            return new ComparisonStepGrade(direction, consistent,
                $"step {step.Step}: label '{label}' {(direction ? "right" : "wrong")}, pick {(consistent ? "has" : "lacks")} the {label} value");
        }
        return new ComparisonStepGrade(false, false, "no step printed two values and a pick");
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    // "Chad: 1284000, Peru: 1285216; larger: Chad" (a single line; names may hold commas, so the numbers anchor it).
    [GeneratedRegex(@"^(?<a>.+?): (?<va>-?\d+(?:\.\d+)?), (?<b>.+?): (?<vb>-?\d+(?:\.\d+)?); (?<label>larger|smaller|later|earlier): (?<pick>.+)$")]
    private static partial Regex PickLine();
}

/// <summary>What <see cref="ComparisonStepCheck"/> found.</summary>
/// <param name="DirectionRight">The label the step chose under is the direction the question asks for.</param>
/// <param name="PickConsistent">The country picked has the label's value among the two printed numbers.</param>
/// <param name="Reason">A few words a person can check against the run.</param>
public sealed record ComparisonStepGrade(bool DirectionRight, bool PickConsistent, string Reason)
{
    /// <summary>Half a point for each: 0, 0.5 or 1.</summary>
    public double Score => (DirectionRight ? 0.5 : 0) + (PickConsistent ? 0.5 : 0);
}
