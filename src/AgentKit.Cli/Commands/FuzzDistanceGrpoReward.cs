using System.Globalization;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Fuzzing;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Tokenization;

namespace AgentKit.Cli.Commands;

/// <summary>
/// The <c>fuzz-distance</c> reward of <c>agentkit train grpo</c> and what it needs around it: one task per frontier
/// question of <c>--questions</c> (prompted with <see cref="FrontierPrompt"/>'s system and user turns, rendered with the
/// policy's chat template, <see cref="ChatPrompt"/>), and the reward, <see cref="FrontierAnswerScorer"/> over one
/// block-mode worker for the whole run: the completion's input runs in the target and <see cref="DistanceReward"/>
/// scores it for the question's branch (<c>fuzz-hit</c> reads the same run as 1 on the branch, else 0). Findings are
/// written to <c>OUT/crashes/</c>.
/// </summary>
internal sealed class FuzzDistanceGrpoReward : IDisposable
{
    /// <summary>The name <c>--reward</c> uses.</summary>
    public const string Name = "fuzz-distance";

    /// <summary>What the reward gives, for the help text.</summary>
    public const string Meaning = "with --questions, --target, --harness: 1 when the answer's input takes the question's branch, partial by CFG distance";

    /// <summary>The name of the hit-only variant: the same setup and runs, no partial credit.</summary>
    public const string HitName = "fuzz-hit";

    /// <summary>What the hit-only variant gives, for the help text.</summary>
    public const string HitMeaning = "as fuzz-distance, 1 when the answer's input takes the question's branch, otherwise 0 (no partial credit: the goal the hit rate measures)";

    /// <summary>The folder of <c>--out</c> findings are written to.</summary>
    public const string FindingsFolder = "crashes";

    private readonly FrontierAnswerScorer _scorer;
    private readonly Dictionary<string, FrontierQuestion> _questions;

    private FuzzDistanceGrpoReward(FrontierAnswerScorer scorer, IReadOnlyList<FrontierQuestion> questions, string findingsDirectory)
    {
        _scorer = scorer;
        _questions = questions.Select((q, i) => (Id: TaskId(i, q), q)).ToDictionary(p => p.Id, p => p.q);
        Tasks = [.. _questions.Select(p => new TrajectoryTask(p.Key, FrontierPrompt.UserText(p.Value)))];
        FindingsDirectory = findingsDirectory;
        Function = new DelegateReward(Name, rollout => Score(rollout, hitOnly: false));
        HitFunction = new DelegateReward(HitName, rollout => Score(rollout, hitOnly: true));
    }

    /// <summary>True when <paramref name="rewardSpec"/> names this reward or its hit-only variant.</summary>
    public static bool IsNamed(string rewardSpec) => GrpoRewardCatalog.Parse(rewardSpec).Any(c => c.Name is Name or HitName);

    /// <summary>One task per question, in file order: id <c>qN-bTARGET</c>, question = the user turn.</summary>
    public IReadOnlyList<TrajectoryTask> Tasks { get; }

    /// <summary>The reward function (<see cref="Name"/>).</summary>
    public IRewardFunction Function { get; }

    /// <summary>The hit-only reward function (<see cref="HitName"/>); it shares the scorer's cache with <see cref="Function"/>, so naming both runs each input once.</summary>
    public IRewardFunction HitFunction { get; }

    /// <summary>Both functions, for the reward catalog to pick from by name.</summary>
    public IReadOnlyList<IRewardFunction> Functions => [Function, HitFunction];

    /// <summary>Where findings go.</summary>
    public string FindingsDirectory { get; }

    /// <summary>Distinct inputs that were findings so far.</summary>
    public int Findings => _scorer.Findings;

    /// <summary>Candidate inputs run in the target so far.</summary>
    public int Executions => _scorer.Executions;

    /// <summary>Reads the questions and starts the scorer's worker on the instrumented target's block-mode twin.</summary>
    /// <exception cref="CliUsageException">The questions file does not read, holds none, or asks about blocks the target does not have.</exception>
    public static FuzzDistanceGrpoReward Open(string questionsPath, Fuzzing.Instrumentation.InstrumentedTarget target, FuzzHarness harness,
        string? firstStageMethod, TimeSpan timeout, string outputDirectory)
    {
        var questions = ReadQuestions(questionsPath);
        var findings = Path.Combine(Path.GetFullPath(outputDirectory), FindingsFolder);
        var scorer = Scorer(target, harness, questions, new FrontierAnswerScorerOptions
        {
            ExecTimeout = timeout, FirstStageMethod = firstStageMethod, FindingsDirectory = findings,
        });
        return new FuzzDistanceGrpoReward(scorer, questions, findings);
    }

    /// <summary>The questions of <c>--questions</c>; a file that does not read or holds none is a usage error.</summary>
    internal static List<FrontierQuestion> ReadQuestions(string questionsPath)
    {
        List<FrontierQuestion> questions;
        try
        {
            questions = FrontierQuestionFile.Read(questionsPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new CliUsageException($"--questions: {e.Message}");
        }
        return questions.Count > 0 ? questions : throw new CliUsageException($"--questions: {questionsPath} holds no questions.");
    }

    /// <summary>The scorer's worker on the target's block-mode twin; questions of another target or a bad first stage are usage errors.</summary>
    internal static FrontierAnswerScorer Scorer(Fuzzing.Instrumentation.InstrumentedTarget target, FuzzHarness harness, IReadOnlyList<FrontierQuestion> questions,
        FrontierAnswerScorerOptions options) =>
        CliUsageException.CheckWith(() => FrontierAnswerScorer.ForTarget(target, harness, questions, [], options),
            e => e.ParamName == "secondStageMethod" ? $"--first-stage: {CliUsageException.MessageOf(e)}" : $"--questions: {CliUsageException.MessageOf(e)}");

    /// <summary>Plain completions of the tasks, prompted with the system and user turns in the policy's chat template.</summary>
    public Func<GrpoRolloutContext, IRolloutSource> RolloutSource(Action<string> warn) => context =>
    {
        var render = ChatPrompt.For(context.InitCheckpoint, warn);
        return new PolicyRolloutSource(context.Tokenizer, task => render([("system", FrontierPrompt.System), ("user", task.Question)]),
            stopTokenIds: ChatPrompt.StopTokenIds(context.InitCheckpoint, context.Tokenizer));
    };

    /// <summary>Stops the worker.</summary>
    public void Dispose() => _scorer.Dispose();

    internal static string TaskId(int index, FrontierQuestion question) =>
        string.Create(CultureInfo.InvariantCulture, $"q{index + 1}-b{question.TargetId}");

    private RewardResult Score(Rollout rollout, bool hitOnly)
    {
        if (!_questions.TryGetValue(rollout.Task.Id, out var question))
            return new RewardResult(0, "task not in the questions file");
        var reward = _scorer.ScoreCompletion(question, rollout.CompletionText);
        return new RewardResult(hitOnly ? (reward.TargetHit ? 1.0 : 0.0) : reward.Value, reward.Reason);
    }
}
