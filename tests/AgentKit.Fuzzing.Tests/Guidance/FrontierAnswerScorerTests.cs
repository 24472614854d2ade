using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class FrontierAnswerScorerTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static readonly FuzzHarness Commands = FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.CommandParser.Parse", ["System.FormatException"]);

    private FrontierQuestion ChecksumQuestion() => toy.ChecksumQuestion();

    [Fact]
    public void Through_the_block_runner_a_hit_scores_one_and_a_near_miss_above_a_far_miss()
    {
        var question = ChecksumQuestion();
        using var scorer = FrontierAnswerScorer.ForTarget(toy.Target, Commands, [question], [],
            new FrontierAnswerScorerOptions { FirstStageMethod = "CommandParser::Interpret" });

        var hit = scorer.ScoreCompletion(question, "```\nunlock 139\n```");
        var near = scorer.ScoreCompletion(question, "```\nunlock 7\n```");  // checksum wrong
        var far = scorer.ScoreCompletion(question, "open 7");                // keyword wrong, no fence
        var rejected = scorer.ScoreCompletion(question, "```\nUNLOCK 139\n```"); // the lexer throws

        Assert.Equal(1.0, hit.Value);
        Assert.True(hit.TargetHit);
        Assert.True(near.Value > far.Value, $"near {near.Value} ({near.Reason}), far {far.Value} ({far.Reason})");
        Assert.True(far.Value > 0, far.Reason);
        Assert.Equal(0.0, rejected.Value);
        // The seed's coverage is the covered set: the near miss ran nothing new, the hit ran the target and Unlock.
        Assert.Equal(0, near.NewBlocks);
        Assert.True(hit.NewBlocks >= 2, $"{hit.NewBlocks}");
        Assert.Equal(4, scorer.Executions);
        Assert.Equal(near, scorer.ScoreCompletion(question, "```\nunlock 7\n```"));
        Assert.Equal(4, scorer.Executions); // answered from the cache
        Assert.Equal(0, scorer.Findings);
    }

    [Fact]
    public void A_crash_is_saved_once_as_a_finding_and_questions_of_another_target_are_refused()
    {
        var deep = toy.Config.Run(Encoding.UTF8.GetBytes("[deep]"));
        var shallow = toy.Config.Run(Encoding.UTF8.GetBytes("[deeX]"));
        var target = deep.Blocks.Except(shallow.Blocks).Single();
        var question = new FrontierQuestion(target, "ConfigParser::Header", "slice", "[deeX]", false, 1, FrontierQuestions.Instruction, 1);
        var findings = Directory.CreateTempSubdirectory("agentkit-findings-").FullName;
        using var scorer = FrontierAnswerScorer.ForTarget(toy.Target, ToyTarget.Harness, [question], [],
            new FrontierAnswerScorerOptions { FindingsDirectory = findings });

        var crash = scorer.ScoreCompletion(question, "```\n[deep]\n```");
        scorer.ScoreCompletion(question, "[deep]");

        Assert.True(crash.Finding);
        Assert.Equal(1.0, crash.Value);
        Assert.Contains("recorded as a finding", crash.Reason, StringComparison.Ordinal);
        Assert.Equal(1, scorer.Findings);
        var saved = Assert.Single(Directory.GetFiles(findings));
        Assert.StartsWith("crash-", Path.GetFileName(saved), StringComparison.Ordinal);
        Assert.Equal("[deep]", File.ReadAllText(saved));
        Assert.Throws<ArgumentException>(() => scorer.Score(question with { TargetId = target + 1 }, [1]));
        var foreign = question with { TargetId = 70000 };
        Assert.Throws<ArgumentException>(() => FrontierAnswerScorer.ForTarget(toy.Target, ToyTarget.Harness, [foreign], []));
    }
}
