using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Actions;
using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Core.Prompts;
using AgentKit.Core.Running;

namespace AgentKit.Core.Tests.Running;

/// <summary>The loop's control flow: a scripted model, the real sandbox.</summary>
[Collection(SandboxCollection.Name)]
public class AgentLoopTests(SandboxFixture fixture)
{
    internal static string Act(string thought, string code) => $"Thought: {thought}\n```csharp\n{code}\n```";

    internal static AgentDefinition Definition(int maxSteps = 4, int candidates = 1, int planning = 0, bool grammar = true) => new()
    {
        Name = "test",
        Model = new AgentModelOptions { Path = "none.gguf" },
        Sampling = new AgentSamplingOptions { Candidates = candidates, Seed = 10 },
        MaxSteps = maxSteps,
        PlanningInterval = planning,
        Grammar = grammar,
    };

    private Agent Create(AgentDefinition definition, ICandidateGenerator generator, MemorySink sink, List<AgentEvent>? events = null) =>
        new(definition, generator, fixture.Sandbox, [], new AgentRunOptions { Sink = sink, Progress = events is null ? null : new ListProgress(events) });

    [Fact]
    public async Task Runs_until_code_calls_FinalAnswer_keeping_variables_between_steps()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [Act("compute", "var x = 17 * 23;\nConsole.WriteLine(x);")],
            [Act("answer", "FinalAnswer(x + 4);")]);
        var sink = new MemorySink();
        var events = new List<AgentEvent>();

        var result = await Create(Definition(), model, sink, events).RunAsync("What is 17*23+4?");

        Assert.Equal("395", result.FinalAnswer);
        Assert.Equal(RunOutcome.Answered, result.Outcome);
        Assert.Equal(2, result.ActionSteps);
        var steps = result.Steps.OfType<ActionStep>().ToList();
        Assert.Equal("391", steps[0].Observation);
        Assert.False(steps[0].IsError);
        Assert.Equal("395", steps[1].FinalAnswer);
        Assert.IsType<FinalAnswerStep>(result.Steps[^1]);

        // Every request was grammar-constrained, with the step's seed, and the second prompt carries the first observation.
        Assert.Equal(2, model.Requests.Count);
        Assert.All(model.Requests, r => Assert.NotNull(r.Grammar));
        Assert.Equal([10, 11], model.Requests.Select(r => r.Seed));
        Assert.Equal("Observation: 391", model.Requests[1].Messages![^1].Text);
        Assert.Equal(steps[1].Prompt.Select(m => m.Content), model.Requests[1].Messages!.Select(m => m.Text));

        var record = Assert.Single(sink.Records);
        Assert.Same(record, result.Trajectory);
        Assert.Equal(TrajectorySchema.Version, record.SchemaVersion);
        Assert.Equal("test", record.Agent.Name);
        Assert.Equal("scripted", record.Model.Name);
        Assert.True(record.CompletionTokens > 0);
        Assert.Equal(
            ["RunStartedEvent", "StepStartedEvent", "ActionCompletedEvent", "StepStartedEvent", "ActionCompletedEvent", "RunCompletedEvent"],
            events.Select(e => e.GetType().Name));
    }

    [Fact]
    public async Task At_the_step_limit_asks_once_for_a_plain_answer()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [Act("look", "Console.WriteLine(\"still looking\");")],
            [Act("look again", "Console.WriteLine(\"nothing\");")],
            ["Final answer: Lima\n"]);
        var sink = new MemorySink();

        var result = await Create(Definition(maxSteps: 2), model, sink).RunAsync(new TrajectoryTask("q1", "Capital of Peru?", "lima"), null);

        Assert.Equal(RunOutcome.StepLimit, result.Outcome);
        Assert.Equal("Lima", result.FinalAnswer);
        Assert.Equal(2, result.ActionSteps);
        var last = model.Requests[^1];
        Assert.Null(last.Grammar);
        Assert.Equal(1, last.N);
        Assert.EndsWith(PromptTexts.FinalAnswerRequest, last.Messages![^1].Text);
        var final = Assert.IsType<FinalAnswerStep>(result.Steps[^1]);
        Assert.Equal(FinalAnswerSource.StepLimit, final.Source);
        Assert.Equal("Final answer: Lima\n", final.Text);
        Assert.Equal(new TrajectoryScore(true, "exact"), sink.Records.Single().Score);
    }

    [Fact]
    public async Task Parse_and_execution_errors_become_observations_the_model_can_react_to()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            ["I think the answer is 4."],
            [Act("divide", "int zero = 0;\nConsole.WriteLine(1 / zero);")],
            [Act("retry", "FinalAnswer(4);")]);

        var result = await Create(Definition(), model, new MemorySink()).RunAsync("2+2?");

        var steps = result.Steps.OfType<ActionStep>().ToList();
        Assert.Equal(ActionParser.NoCodeBlockError, steps[0].Observation);
        Assert.True(steps[0].IsError);
        Assert.False(steps[0].Candidates[0].Parsed);
        Assert.Null(steps[0].Candidates[0].Status);
        Assert.Equal("I think the answer is 4.", steps[0].Action);
        Assert.Contains("DivideByZeroException", steps[1].Observation);
        Assert.StartsWith("Error (exception", steps[1].Observation);
        Assert.Equal(ExecutionStatus.RuntimeError, steps[1].Candidates[0].Status);
        Assert.Contains($"Observation: {ActionParser.NoCodeBlockError}", model.Requests[1].Messages!.Select(m => m.Text));
        Assert.Equal("4", result.FinalAnswer);
    }

    [Fact]
    public async Task Plans_before_steps_one_and_every_interval_after()
    {
        var model = new ScriptedCandidateGenerator((request, i) => request.Grammar is null
            ? [$"plan {i}"]
            : [Act("step", "Console.WriteLine(1);")]);

        var result = await Create(Definition(maxSteps: 3, planning: 2), model, new MemorySink()).RunAsync("plan it");

        // plan, act 1, act 2, plan, act 3, plain final answer
        Assert.Equal(
            ["TaskStep", "PlanningStep", "ActionStep", "ActionStep", "PlanningStep", "ActionStep", "FinalAnswerStep"],
            result.Steps.Select(s => s.GetType().Name));
        var plans = result.Steps.OfType<PlanningStep>().ToList();
        Assert.Equal([1, 3], plans.Select(p => p.BeforeStep));
        Assert.Equal("plan 0", plans[0].Plan);
        Assert.EndsWith(PromptTexts.PlanRequest, model.Requests[0].Messages![^1].Text);
        Assert.Contains("plan 0", model.Requests[1].Messages!.Select(m => m.Text)); // the plan is in the next action's prompt
        Assert.All(model.Requests.Where(r => r.Grammar is null), r => Assert.Equal(1, r.N));
    }

    [Fact]
    public async Task A_failing_model_is_recorded_before_the_error_propagates()
    {
        var model = new ScriptedCandidateGenerator((_, _) => throw new HttpRequestException("endpoint down"));
        var sink = new MemorySink();

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Create(Definition(), model, sink).RunAsync("x"));

        Assert.Equal("endpoint down", ex.Message);
        var record = Assert.Single(sink.Records);
        Assert.Equal(RunOutcome.Failed, record.Outcome);
        Assert.Equal("endpoint down", record.Error);
    }

    [Fact]
    public async Task Cancellation_is_recorded_as_such()
    {
        using var cts = new CancellationTokenSource();
        var model = new ScriptedCandidateGenerator((_, i) =>
        {
            if (i == 1)
                cts.Cancel();
            return [Act("loop", "Console.WriteLine(1);")];
        });
        var sink = new MemorySink();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Create(Definition(), model, sink).RunAsync(new TrajectoryTask("c", "x"), null, cts.Token));

        var record = Assert.Single(sink.Records);
        Assert.Equal(RunOutcome.Cancelled, record.Outcome);
        Assert.Single(record.Steps.OfType<ActionStep>());
    }

    [Fact]
    public async Task Without_grammar_a_first_thought_prefix_is_a_trailing_assistant_message_continued_by_the_model()
    {
        var model = ScriptedCandidateGenerator.FromReplies([" so I add.\n```csharp\nFinalAnswer(1 + 1);\n```"]);

        var result = await Create(Definition(grammar: false), model, new MemorySink())
            .RunAsync(new TrajectoryTask("p", "1+1?"), new AgentRunSettings { FirstThoughtPrefix = "Both are\nones," });

        var step = result.Steps.OfType<ActionStep>().Single();
        Assert.Equal("Both are ones,", step.ForcedPrefix);
        Assert.Equal("Thought: Both are ones, so I add.\n```csharp\nFinalAnswer(1 + 1);\n```", step.Action);
        Assert.Equal(new PromptMessage(PromptRoles.Assistant, "Thought: Both are ones,"), step.Prompt[^1]);
        Assert.Equal(["\nObservation:"], model.Requests[0].Stop);
        Assert.Equal("2", result.FinalAnswer);
    }

    [Fact]
    public async Task With_grammar_a_first_thought_prefix_is_forced_by_the_grammar()
    {
        var model = ScriptedCandidateGenerator.FromReplies([Act("Lima is in Peru, so", "FinalAnswer(\"Lima\");")], [Act("x", "FinalAnswer(1);")]);

        await Create(Definition(), model, new MemorySink())
            .RunAsync(new TrajectoryTask("p", "Capital?"), new AgentRunSettings { FirstThoughtPrefix = "Lima is in Peru" });

        Assert.Contains("\"Thought: \" \"Lima is in Peru\"", model.Requests[0].Grammar);
        Assert.Equal(PromptRoles.User, model.Requests[0].Messages![^1].Role.Value);
    }

    [Fact]
    public void Tools_must_match_the_definition()
    {
        var model = ScriptedCandidateGenerator.FromReplies();
        var ex = Assert.Throws<ArgumentException>(() => new Agent(Definition() with { Tools = ["Search"] }, model, fixture.Sandbox, []));
        Assert.Contains("needs tool(s) Search", ex.Message);
        Assert.Throws<ArgumentException>(() => new Agent(Definition() with { MaxSteps = 0 }, model, fixture.Sandbox, []));
    }

    private sealed class ListProgress(List<AgentEvent> events) : IProgress<AgentEvent>
    {
        public void Report(AgentEvent value) => events.Add(value);
    }
}
