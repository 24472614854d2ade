using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Atlas.Teacher;
using AgentKit.Atlas.Tests.Support;
using AgentKit.Core.Actions;
using Microsoft.Extensions.AI;

namespace AgentKit.Atlas.Tests;

[Collection(AtlasCollection.Name)]
public sealed class TeacherTests(AtlasFixture atlas, TeachingFixture real) : IClassFixture<TeachingFixture>
{
    [Fact]
    public async Task Teacher_answers_every_kind_of_test_question_through_the_real_runtime()
    {
        // One question of every kind from the held-out split, bad ones included.
        var questions = atlas.Questions.Where(q => q.Split == QuestionSplits.Test)
            .GroupBy(q => q.Kind).Select(g => g.First()).ToList();
        var sink = new MemorySink();

        var results = await new TeachingRun(real.Definition, real.Sandbox, real.Tools).RunAsync(questions, sink, parallelism: 2);

        var failures = results.Where(r => !r.Correct && r.Skipped is null)
            .Select(r => $"{r.Question.Kind}: {r.Question.Question} => {r.Answer ?? r.Error} (gold {r.Question.Answer})").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Single(results, r => r.Skipped is not null); // the empty question: the runtime refuses it
        Assert.Equal(questions.Count - 1, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal(RunOutcome.Answered, r.Outcome));
    }

    [Fact]
    public void Teacher_code_never_spells_a_name_from_the_question()
    {
        // The student copies nothing: names come from Mentions(task, …) and observations, thresholds from task.
        var teacher = new AtlasTeacher();
        foreach (var question in atlas.Questions.Where(q => q.Family != "bad").GroupBy(q => q.Kind).SelectMany(g => g.Take(5)))
        {
            var code = teacher.NextAction(question, []);
            code = code[code.IndexOf("```", StringComparison.Ordinal)..];
            Assert.Contains("task", code);
            foreach (var entity in question.Entities.Concat(question.Params.Where(p => p.Key is "capital" or "city").Select(p => p.Value)))
                Assert.False(code.Contains(entity, StringComparison.Ordinal), $"{question.Kind}: the code spells \"{entity}\":\n{code}");
        }
    }

    [Fact]
    public async Task Recorded_steps_are_in_the_runtime_action_format_with_genuine_observations()
    {
        var question = atlas.Questions.First(q => q.Kind == "bridge-capital" && q.Split == QuestionSplits.Test);
        var sink = new MemorySink();

        await new TeachingRun(real.Definition, real.Sandbox, real.Tools).RunAsync([question], sink);

        var actions = sink.Records.Single().Steps.OfType<ActionStep>().ToList();
        Assert.Equal(3, actions.Count);
        Assert.All(actions, a => Assert.Equal(a.Action, ActionParser.Parse(a.Action).ToCanonicalText()));
        // The first observation is what the code printed after reading the capital passage from the index.
        Assert.Equal($"{question.Param("capital")} is the capital of {question.Entities[0]}", actions[0].Observation);
        Assert.Contains("Search(country + ", actions[1].Action); // step 2 searches for the bridge country the code read
        Assert.Equal(question.Answer, actions[2].FinalAnswer);
    }

    [Fact]
    public async Task A_country_that_does_not_exist_ends_with_not_found_after_the_error_it_causes()
    {
        var question = atlas.Questions.First(q => q.Kind == "bad-fake-country");
        var sink = new MemorySink();

        var result = (await new TeachingRun(real.Definition, real.Sandbox, real.Tools).RunAsync([question], sink)).Single();

        Assert.True(result.Correct, result.Answer);
        var actions = sink.Records.Single().Steps.OfType<ActionStep>().ToList();
        Assert.True(actions[0].IsError);
        Assert.Contains("Index was outside the bounds of the array", actions[0].Observation); // Mentions found no country
        Assert.Equal("not found", actions[^1].FinalAnswer);
    }

    [Fact]
    public async Task Generator_serves_the_teacher_from_the_prompt_messages()
    {
        var question = atlas.Questions.First(q => q.Kind == "lookup");
        var generator = new TeacherCandidateGenerator([question]);
        var first = await generator.GenerateAsync(new CandidateRequest { Messages = [new(ChatRole.System, "sys"), new(ChatRole.User, $"Task: {question.Question}")], N = 2 });
        Assert.Equal(2, first.Candidates.Count);
        Assert.True(ActionParser.Parse(first.Candidates[0].Text).Succeeded);
        Assert.Contains("Mentions(task, \"country/\")", first.Candidates[0].Text);

        var second = await generator.GenerateAsync(new CandidateRequest
        {
            Messages = [new(ChatRole.System, "sys"), new(ChatRole.User, $"Task: {question.Question}"), new(ChatRole.Assistant, first.Candidates[0].Text), new(ChatRole.User, "Observation: x of y: 42")],
        });
        Assert.Contains("FinalAnswer(", second.Candidates[0].Text);

        await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(new CandidateRequest { Messages = [new(ChatRole.User, "Task: something else")] }));
        Assert.Throws<ArgumentException>(() => new TeacherCandidateGenerator([question, question with { Id = "other" }]));
    }

    [Fact]
    public async Task Taking_over_a_run_the_teacher_continues_its_own_actions_and_replans_after_anothers()
    {
        var question = atlas.Questions.First(q => q.Kind == "bridge-city");
        var teacher = new AtlasTeacher();
        var generator = new TeacherCandidateGenerator([question], takeOver: true);
        var first = teacher.NextAction(question, []);
        const string observation = "Lyon is a city in France.";
        const string student = "Thought: I search.\n```csharp\nvar hits = Search(task);\nConsole.WriteLine(hits[0].Text);\n```";
        Task<CandidateResult> After(params string[] actionsAndObservations) => generator.GenerateAsync(new CandidateRequest
        {
            Messages = [new(ChatRole.System, "sys"), new(ChatRole.User, $"Task: {question.Question}"),
                .. actionsAndObservations.Select((text, i) => new ChatMessage(i % 2 == 0 ? ChatRole.Assistant : ChatRole.User, i % 2 == 0 ? text : $"Observation: {text}"))],
        });

        // Its own first action: it goes on to its second, as the plain generator would.
        Assert.Equal(teacher.NextAction(question, [observation]), (await After(first, observation)).Candidates[0].Text);
        // The student wrote the last action: its variables are not the plan's, so the teacher starts over.
        Assert.Equal(first, (await After(student, "x")).Candidates[0].Text);
        // The student, then the teacher's first action: it continues from there, reading only its own observation.
        Assert.Equal(teacher.NextAction(question, [observation]), (await After(student, "x", first, observation)).Candidates[0].Text);
        // Without take-over the teacher counts the student's step as its own first one.
        var plain = new TeacherCandidateGenerator([question]);
        var counted = await plain.GenerateAsync(new CandidateRequest
        {
            Messages = [new(ChatRole.System, "sys"), new(ChatRole.User, $"Task: {question.Question}"), new(ChatRole.Assistant, student), new(ChatRole.User, "Observation: x")],
        });
        Assert.NotEqual(first, counted.Candidates[0].Text);
    }

    [Fact]
    public void Teacher_repeats_a_step_the_machine_cut_short_then_gives_up()
    {
        var question = atlas.Questions.First(q => q.Kind == "bridge-city");
        var teacher = new AtlasTeacher();
        var first = teacher.NextAction(question, []);
        const string timeout = "Error (timeout): The snippet ran past its 5000 ms limit; its worker was killed.";

        Assert.Equal(first, teacher.NextAction(question, [timeout]));
        Assert.Equal(first, teacher.NextAction(question, [timeout, timeout]));
        Assert.Contains("FinalAnswer(\"not found\")", teacher.NextAction(question, [timeout, timeout, timeout]));
        // A real error (the city has no passage) is an answer about the atlas: no retry.
        Assert.Contains("FinalAnswer(\"not found\")", teacher.NextAction(question, ["Error (exception): Sequence contains no matching element"]));
        var second = teacher.NextAction(question, [$"{question.Param("city")} is a city in {question.Entities[0]}"]);
        Assert.Contains("Search(country + ", second);
    }

    [Theory]
    [InlineData("not found", true)]
    [InlineData("I could not find it in the atlas.", true)]
    [InlineData("Unknown", true)]
    [InlineData("Lima", false)]
    [InlineData("", false)]
    public void Not_found_answers_are_recognised(string answer, bool expected) => Assert.Equal(expected, AtlasAnswerScorer.IsNotFound(answer));

    [Fact]
    public void Scorer_uses_each_question_tolerance()
    {
        var year = new AtlasQuestion { Id = "y", Question = "q", Answer = "1821", Family = QuestionFamilies.Lookup, Split = "test", Entities = [], Kind = "lookup", Template = "t", Tolerance = 0 };
        Assert.True(AtlasAnswerScorer.IsCorrect(year, "1821"));
        Assert.False(AtlasAnswerScorer.IsCorrect(year, "1822"));
        var density = year with { Answer = "24.89", Tolerance = 0.01 };
        Assert.True(AtlasAnswerScorer.IsCorrect(density, "24.9"));
        Assert.False(AtlasAnswerScorer.IsCorrect(density, "26"));
        Assert.False(AtlasAnswerScorer.IsCorrect(density, "not found"));
        Assert.True(AtlasAnswerScorer.IsCorrect(year with { Family = QuestionFamilies.Bad, Answer = "not found" }, "Not found."));
    }
}
