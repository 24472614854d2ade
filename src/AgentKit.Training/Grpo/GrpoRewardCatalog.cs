using System.Globalization;
using AgentKit.Training.Grpo.Rewards;

namespace AgentKit.Training.Grpo;

/// <summary>A reward function chosen by name, with its weight in the rollout's reward.</summary>
/// <param name="Name">The function's name (a built-in or a custom function's <see cref="IRewardFunction.Name"/>).</param>
/// <param name="Weight">Its weight (TRL's <c>reward_weights</c>).</param>
public sealed record RewardChoice(string Name, double Weight);

/// <summary>
/// Reward functions by name, as <c>agentkit train grpo --reward</c> names them: a spec such as <c>answer,format</c>
/// (weight 1 each) or <c>answer:1,format:0.1</c> becomes the functions and their weights.
/// </summary>
public static class GrpoRewardCatalog
{
    private static readonly (string Name, Func<IRewardFunction> Create, string Meaning)[] BuiltIns =
    [
        ("answer", () => new AnswerMatchReward(AnswerMatch.Graded, name: "answer"), "the final answer matches the reference as agentkit eval grades it"),
        ("answer_exact", () => new AnswerMatchReward(AnswerMatch.Exact, name: "answer_exact"), "the trimmed answer equals the reference"),
        ("answer_normalized", () => new AnswerMatchReward(AnswerMatch.Normalized, name: "answer_normalized"), "equal after normalisation"),
        ("answer_numeric", () => new AnswerMatchReward(AnswerMatch.Numeric, name: "answer_numeric"), "numerically equal within 1%"),
        ("answer_f1", () => new AnswerMatchReward(AnswerMatch.F1, name: "answer_f1"), "word-overlap F1 with the reference (partial credit)"),
        ("format", () => new ActionFormatReward("format"), "the action parsed (and compiled and ran, when known)"),
        ("final_answer", () => new FinalAnswerPresentReward("final_answer"), "a non-blank final answer was given"),
    ];

    /// <summary>The built-in names, in the order they are listed in messages.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [.. BuiltIns.Select(b => b.Name)];

    /// <summary>What each built-in rewards, for help texts.</summary>
    public static IReadOnlyDictionary<string, string> Meanings { get; } = BuiltIns.ToDictionary(b => b.Name, b => b.Meaning);

    /// <summary>Parses <c>name[:weight],…</c>; a name without a weight weighs 1.</summary>
    /// <exception cref="ArgumentException">The spec is empty, a weight is not a finite number, or a name repeats.</exception>
    public static IReadOnlyList<RewardChoice> Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException($"name at least one reward function ({string.Join(", ", BuiltInNames)}).");
        var choices = new List<RewardChoice>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':');
            var name = (colon < 0 ? part : part[..colon]).Trim();
            if (name.Length == 0)
                throw new ArgumentException($"'{spec}' has an empty reward name; write name[:weight],… e.g. answer:1,format:0.1.");
            var weight = 1.0;
            if (colon >= 0 && (!double.TryParse(part[(colon + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !double.IsFinite(weight)))
                throw new ArgumentException($"the weight of reward '{name}' must be a number, got '{part[(colon + 1)..].Trim()}'.");
            if (choices.Any(c => c.Name == name))
                throw new ArgumentException($"reward '{name}' is named twice.");
            choices.Add(new RewardChoice(name, weight));
        }
        return choices;
    }

    /// <summary>
    /// The functions and weights <paramref name="spec"/> names. <paramref name="custom"/> functions are found by their
    /// <see cref="IRewardFunction.Name"/> and take precedence over a built-in of the same name.
    /// </summary>
    /// <exception cref="ArgumentException">The spec does not parse or names an unknown function (the message lists the known ones).</exception>
    public static (IReadOnlyList<IRewardFunction> Functions, IReadOnlyList<double> Weights) Build(string spec, IReadOnlyList<IRewardFunction>? custom = null)
    {
        var choices = Parse(spec);
        var functions = new List<IRewardFunction>();
        foreach (var choice in choices)
        {
            if (custom?.FirstOrDefault(f => f.Name == choice.Name) is { } own)
                functions.Add(own);
            else if (BuiltIns.FirstOrDefault(b => b.Name == choice.Name) is { Create: not null } builtIn)
                functions.Add(builtIn.Create());
            else
                throw new ArgumentException($"unknown reward '{choice.Name}'; known: {string.Join(", ", Known(custom))}.");
        }
        return (functions, [.. choices.Select(c => c.Weight)]);
    }

    private static IEnumerable<string> Known(IReadOnlyList<IRewardFunction>? custom) =>
        BuiltInNames.Concat(custom?.Select(f => f.Name) ?? []).Distinct();
}
