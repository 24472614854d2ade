using AgentKit.Core.Models;
using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

public sealed class ChainOfThoughtAnsweringTests
{
    [Fact]
    public async Task Math_asks_for_a_boxed_answer_and_extracts_it()
    {
        var generator = ScriptedCandidateGenerator.FromReplies(["Half of one is a half.\n$\\boxed{\\frac{1}{2}}$"]);

        var answer = await ChainOfThoughtAnswering.AnswerAsync(generator, "What is half of one?", BenchmarkKind.Math, 1, 0, 0, 512);

        Assert.Equal(@"\frac{1}{2}", answer.Answer);
        var request = Assert.Single(generator.Requests);
        Assert.Equal(ChainOfThoughtAnswering.MathInstructions, request.Messages![0].Text);
        Assert.Equal("What is half of one?", request.Messages[1].Text);
        Assert.Equal(512, request.MaxTokens);
    }

    [Fact]
    public async Task Qa_takes_the_final_answer_line_or_else_the_last_line()
    {
        var marked = ScriptedCandidateGenerator.FromReplies(["Lyon lies on two rivers.\nFinal answer: the Rhône"]);
        Assert.Equal("the Rhône", (await ChainOfThoughtAnswering.AnswerAsync(marked, "q?", BenchmarkKind.Qa, 1, 0, 0, 64)).Answer);
        Assert.Equal("Saône", ChainOfThoughtAnswering.Extract("It is not the Rhône.\n\nSaône\n", BenchmarkKind.Qa));
        Assert.Null(ChainOfThoughtAnswering.Extract("  ", BenchmarkKind.Qa));
    }

    [Fact]
    public async Task Several_samples_vote_in_canonical_form()
    {
        var generator = ScriptedCandidateGenerator.FromReplies(["\\boxed{3}", "\\boxed{0.5}", "\\boxed{\\frac{1}{2}}", "no idea"]);

        var answer = await ChainOfThoughtAnswering.AnswerAsync(generator, "q?", BenchmarkKind.Math, 4, 0.7f, 1, 64);

        Assert.Equal("0.5", answer.Answer); // 0.5 and \frac{1}{2} are one answer (two votes), written first as 0.5
        Assert.Equal(4, answer.Replies.Count);
        Assert.Equal(["3", "0.5", @"\frac{1}{2}", null], answer.Answers);
        Assert.Equal(4, Assert.Single(generator.Requests).N);
    }

    [Fact]
    public void Ties_go_to_the_earliest_and_nothing_gives_null()
    {
        Assert.Equal("Paris", ChainOfThoughtAnswering.Vote(["Paris", "Lyon"], BenchmarkKind.Qa));
        Assert.Equal("the Seine", ChainOfThoughtAnswering.Vote(["Lyon", "the Seine", "seine"], BenchmarkKind.Qa));
        Assert.Null(ChainOfThoughtAnswering.Vote([null, " "], BenchmarkKind.Qa));
    }
}
