using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Cli.Commands;

/// <summary>
/// The <c>atlas</c> reward of <c>agentkit train grpo</c>: 1 when the rollout's answer is right for its atlas question as
/// <see cref="AtlasAnswerScorer"/> grades it (the question's own tolerance, 0 for years and counts; "not found" in any
/// accepted way for bad questions), else 0. The built-in <c>answer</c> reward would grade every number within 1%.
/// Beside it, <c>atlas-step</c> (<see cref="StepName"/>) grades a comparison run's deciding step apart from its answer
/// (<see cref="ComparisonStepCheck"/>): half a point for choosing under the direction the question asks, half for a pick
/// that has that value among the printed numbers; 0 for other questions, so it only separates completions of comparisons.
/// </summary>
internal static class AtlasGrpoReward
{
    /// <summary>The name <c>--reward</c> uses.</summary>
    public const string Name = "atlas";

    /// <summary>What the reward gives, for the help text.</summary>
    public const string Meaning = "atlas question files only: each question's own tolerance, \"not found\" right for bad questions";

    /// <summary>The name <c>--reward</c> uses for the per-step comparison check.</summary>
    public const string StepName = "atlas-step";

    /// <summary>What the step reward gives, for the help text.</summary>
    public const string StepMeaning = "atlas comparisons only: the deciding step's label matches the question (0.5) and its pick has that value (0.5)";

    private const int MaxShownAnswer = 80;

    /// <summary>
    /// The custom rewards <paramref name="rewardSpec"/> needs: the atlas reward over the questions of
    /// <paramref name="tasksPath"/> when the spec names it, else none.
    /// </summary>
    /// <exception cref="CliUsageException">The spec names <c>atlas</c> or <c>atlas-step</c> and the task file is not an atlas
    /// question file, or it names <c>atlas-step</c> without agent rollouts (<paramref name="agentRuns"/> false: every reward would be 0).</exception>
    public static IReadOnlyList<IRewardFunction> For(string rewardSpec, string tasksPath, bool agentRuns)
    {
        var names = GrpoRewardCatalog.Parse(rewardSpec).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (names.Contains(StepName) && !agentRuns)
            throw new CliUsageException($"--reward {StepName} grades the steps of agent runs: add --agent DIR.");
        var rewards = new List<IRewardFunction>();
        if (names.Contains(Name) || names.Contains(StepName))
        {
            var scorer = Scorer(tasksPath);
            if (names.Contains(Name))
                rewards.Add(Create(scorer));
            if (names.Contains(StepName))
                rewards.Add(CreateStep(scorer));
        }
        return rewards;
    }

    /// <summary>The reward over <paramref name="scorer"/>'s questions, found by the rollout's task id.</summary>
    public static IRewardFunction Create(AtlasQuestionScorer scorer) => new DelegateReward(Name, rollout => Score(scorer, rollout));

    /// <summary>The <c>atlas-step</c> reward over <paramref name="scorer"/>'s questions; it needs agent rollouts (<c>--agent</c>).</summary>
    public static IRewardFunction CreateStep(AtlasQuestionScorer scorer) => new DelegateReward(StepName, rollout => ScoreStep(scorer, rollout));

    private static RewardResult ScoreStep(AtlasQuestionScorer scorer, Rollout rollout)
    {
        if (scorer.Find(rollout.Task.Id) is not { } question)
            return new RewardResult(0, "task not in the atlas question file");
        if (rollout.Trajectory is not { } run)
            return new RewardResult(0, "not an agent run (train with --agent)");
        return ComparisonStepCheck.Grade(question, run) is { } grade ? new RewardResult(grade.Score, grade.Reason) : new RewardResult(0, "not a comparison");
    }

    private static RewardResult Score(AtlasQuestionScorer scorer, Rollout rollout)
    {
        if (scorer.Find(rollout.Task.Id) is not { } question)
            return new RewardResult(0, "task not in the atlas question file");
        var answer = rollout.FinalAnswer;
        if (string.IsNullOrWhiteSpace(answer))
            return new RewardResult(0, "no answer");
        return AtlasAnswerScorer.IsCorrect(question, answer) ? new RewardResult(1, "correct") : new RewardResult(0, $"wrong: got {Shown(answer)}");
    }

    // Reasons land in rollouts.jsonl once per completion: one short line is enough to see what went wrong.
    private static string Shown(string answer)
    {
        var line = answer.Trim().ReplaceLineEndings(" ");
        return line.Length <= MaxShownAnswer ? line : line[..MaxShownAnswer] + "…";
    }

    private static AtlasQuestionScorer Scorer(string tasksPath)
    {
        const string Need = "--reward atlas needs --tasks to be an atlas question file (written by 'agentkit atlas questions')";
        IReadOnlyList<AtlasQuestion> questions;
        try
        {
            questions = QuestionFile.Read(tasksPath);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"{Need}; {ex.Message.ReplaceLineEndings(" ")}");
        }
        if (questions.Count == 0)
            throw new CliUsageException($"{Need}; {tasksPath} holds no questions.");
        return CliUsageException.Check(() => new AtlasQuestionScorer(questions), message => $"{Need}; {tasksPath}: {message}");
    }
}
