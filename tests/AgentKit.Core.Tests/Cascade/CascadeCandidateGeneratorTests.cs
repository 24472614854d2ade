using AgentKit.Abstractions.Models;
using AgentKit.Core.Cascade;
using AgentKit.Core.Models;
using Microsoft.Extensions.AI;

namespace AgentKit.Core.Tests.Cascade;

public class CascadeCandidateGeneratorTests
{
    // The student is sure of every word except "maybe" (log probability -4).
    private static ScriptedCandidateGenerator Student(params string[] replies) =>
        new((_, i) => [replies[i]], "student") { WordLogprob = w => w == "maybe" ? -4 : -0.01 };

    private static CandidateRequest Request(int? topLogprobs = null) =>
        new CandidateRequest { Messages = [new ChatMessage(ChatRole.User, "q")], TopLogprobs = topLogprobs }.Validate();

    [Fact]
    public async Task Uncertain_replies_go_to_the_teacher_and_each_result_says_who_produced_it()
    {
        var teacher = ScriptedCandidateGenerator.FromReplies(["teacher says 7"]);
        var cascade = new CascadeCandidateGenerator(Student("it is 3", "maybe it is 5"), teacher, new CascadeOptions(new TokenQuantileRule(TokenStatistic.Min), 1.0));

        var sure = await cascade.GenerateAsync(Request());
        var unsure = await cascade.GenerateAsync(Request());

        Assert.Equal("it is 3", sure.Candidates[0].Text);
        Assert.Null(sure.Candidates[0].Logprobs); // asked for by the cascade, not by the caller
        Assert.Equal(new CascadeRouting("student", false, "min", 0.01, 1.0, sure.Routing!.Features), sure.Routing);
        Assert.Equal("teacher says 7", unsure.Candidates[0].Text);
        Assert.True(unsure.Routing!.Deferred);
        Assert.Equal("scripted", unsure.Routing.ProducedBy);
        Assert.Equal(4.0, unsure.Routing.Uncertainty, 9);
        Assert.Equal(4, unsure.Routing.Features.Tokens);
        Assert.Equal((2, 1), (cascade.Requests, cascade.Deferred));
        Assert.Single(teacher.Requests);
        Assert.Null(teacher.Requests[0].TopLogprobs);
        Assert.Equal("student+scripted", cascade.Model.Name);
    }

    [Fact]
    public async Task Thresholds_at_the_extremes_never_or_always_defer()
    {
        var never = new CascadeCandidateGenerator(Student("maybe maybe"), ScriptedCandidateGenerator.FromReplies(), new CascadeOptions(new SequenceTotalRule(), double.PositiveInfinity));
        var always = new CascadeCandidateGenerator(Student("sure"), ScriptedCandidateGenerator.FromReplies(["t"]), new CascadeOptions(new SequenceTotalRule(), double.NegativeInfinity));

        var kept = (await never.GenerateAsync(Request())).Routing!;
        Assert.False(kept.Deferred);
        Assert.Null(kept.Threshold); // infinite thresholds are recorded as none: JSON has no infinity
        Assert.True((await always.GenerateAsync(Request())).Routing!.Deferred);
    }

    [Fact]
    public async Task A_caller_that_asked_for_logprobs_keeps_the_students()
    {
        var cascade = new CascadeCandidateGenerator(Student("a b"), ScriptedCandidateGenerator.FromReplies(), new CascadeOptions(new SequenceTotalRule(), 10));

        var result = await cascade.GenerateAsync(Request(topLogprobs: 0));

        Assert.Equal(2, result.Candidates[0].Logprobs!.Count);
    }

    [Fact]
    public async Task A_student_without_logprobs_cannot_be_cascaded()
    {
        var cascade = new CascadeCandidateGenerator(ScriptedCandidateGenerator.FromReplies(["x"]), ScriptedCandidateGenerator.FromReplies(), new CascadeOptions(new SequenceTotalRule(), 1));
        await Assert.ThrowsAsync<NotSupportedException>(() => cascade.GenerateAsync(Request()));
    }

    [Fact]
    public void Options_refuse_a_threshold_that_is_not_a_number() =>
        Assert.Throws<ArgumentException>(() => new CascadeOptions(new SequenceTotalRule(), double.NaN));
}
