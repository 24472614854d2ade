using AgentKit.Core.Models;
using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

/// <summary>The judge over a scripted generator: prompt assembly, verdict parsing, unparseable replies.</summary>
public sealed class LlmJudgeTests
{
    [Fact]
    public async Task The_prompt_holds_question_gold_and_prediction_and_is_returned_with_the_verdict()
    {
        var generator = ScriptedCandidateGenerator.FromReplies(["Correct."]);
        var judge = new LlmJudge(generator);

        var verdict = await judge.JudgeAsync("Which river\nflows through Lyon?", "Rhône", "the Rhone river");

        Assert.Equal(new JudgeVerdict(true, "correct", verdict.Prompt, "Correct."), verdict);
        Assert.StartsWith(LlmJudge.Instructions, verdict.Prompt);
        Assert.EndsWith("Question: Which river flows through Lyon?\nGold answer: Rhône\nPredicted answer: the Rhone river\n\nVerdict:", verdict.Prompt);
        var request = Assert.Single(generator.Requests);
        Assert.Equal(verdict.Prompt, Assert.Single(request.Messages!).Text);
        Assert.Equal(0, request.Temperature);
        Assert.Equal(16, request.MaxTokens);
    }

    [Theory]
    [InlineData("correct", true)]
    [InlineData("  **CORRECT**", true)]
    [InlineData("Incorrect", false)]
    [InlineData("not correct: the gold says 1999", false)]
    [InlineData("Wrong.", false)]
    [InlineData("The prediction is incorrect, although a correct year is close.", false)] // the first verdict word counts
    [InlineData("I think it is correct", true)]
    [InlineData("maybe", null)]
    [InlineData("incorrectly formatted", null)] // whole words only
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Verdicts_parse_from_the_first_verdict_word(string? reply, bool? expected) =>
        Assert.Equal(expected, LlmJudge.ParseVerdict(reply));

    [Fact]
    public async Task An_unparseable_reply_is_reported_not_guessed()
    {
        var verdict = await new LlmJudge(ScriptedCandidateGenerator.FromReplies(["I cannot tell."])).JudgeAsync("q?", "a", "b");
        Assert.Null(verdict.Correct);
        Assert.Equal("unparseable", verdict.Verdict);
        Assert.Equal("I cannot tell.", verdict.Reply);
    }

    [Fact]
    public async Task No_prediction_is_incorrect_without_asking()
    {
        var generator = ScriptedCandidateGenerator.FromReplies();
        var verdict = await new LlmJudge(generator).JudgeAsync("q?", "a", "  ");
        Assert.False(verdict.Correct);
        Assert.Equal("", verdict.Prompt);
        Assert.Empty(generator.Requests);
    }

    [Fact]
    public void Options_are_validated_at_construction() =>
        Assert.Throws<ArgumentException>(() => new LlmJudge(ScriptedCandidateGenerator.FromReplies(), new LlmJudgeOptions { MaxTokens = 0 }));
}
