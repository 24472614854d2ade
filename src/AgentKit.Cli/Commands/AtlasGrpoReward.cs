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
/// </summary>
internal static class AtlasGrpoReward
{
    /// <summary>The name <c>--reward</c> uses.</summary>
    public const string Name = "atlas";

    /// <summary>What the reward gives, for the help text.</summary>
    public const string Meaning = "atlas question files only: each question's own tolerance, \"not found\" right for bad questions";

    private const int MaxShownAnswer = 80;

    /// <summary>
    /// The custom rewards <paramref name="rewardSpec"/> needs: the atlas reward over the questions of
    /// <paramref name="tasksPath"/> when the spec names it, else none.
    /// </summary>
    /// <exception cref="CliUsageException">The spec names <c>atlas</c> and the task file is not an atlas question file.</exception>
    public static IReadOnlyList<IRewardFunction> For(string rewardSpec, string tasksPath) =>
        GrpoRewardCatalog.Parse(rewardSpec).Any(c => c.Name == Name) ? [Create(Scorer(tasksPath))] : [];

    /// <summary>The reward over <paramref name="scorer"/>'s questions, found by the rollout's task id.</summary>
    public static IRewardFunction Create(AtlasQuestionScorer scorer) => new DelegateReward(Name, rollout => Score(scorer, rollout));

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
