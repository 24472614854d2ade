using System.Diagnostics;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Actions;
using AgentKit.Core.Definitions;
using AgentKit.Core.Prompts;
using AgentKit.Core.Running;
using AgentKit.Core.Scoring;

namespace AgentKit.Core;

/// <summary>
/// A code agent: task → (plan every k steps) → action steps (Thought + C# code run in a sandbox session,
/// observation appended) → final answer when code calls <c>FinalAnswer</c>, or one plain answer request at
/// the step limit. With N candidates per step it chooses the action by self-consistency. Every run, however
/// it ends, goes to the trajectory sink. Safe to run several tasks concurrently (each run has its own session
/// and memory); no file I/O happens here.
/// </summary>
public sealed class Agent
{
    private static readonly string[] s_actionStops = ["\nObservation:"];

    private readonly AgentDefinition _definition;
    private readonly ICandidateGenerator _generator;
    private readonly ICodeSandbox _sandbox;
    private readonly IReadOnlyList<IAgentTool> _tools;
    private readonly AgentRunOptions _options;
    private readonly PromptBuilder _prompts;

    /// <summary>Creates an agent; validates the definition and checks that <paramref name="tools"/> are exactly the tools it names.</summary>
    /// <exception cref="ArgumentException">The definition is invalid or the tools do not match it.</exception>
    public Agent(AgentDefinition definition, ICandidateGenerator generator, ICodeSandbox sandbox, IReadOnlyList<IAgentTool> tools, AgentRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(tools);
        _definition = definition.Validate();
        CheckTools(definition, tools);
        _generator = generator;
        _sandbox = sandbox;
        _tools = tools;
        _options = options ?? new AgentRunOptions();
        _prompts = new PromptBuilder(definition.Instructions, tools.Select(t => t.Definition).ToList(), definition.PromptStyle, definition.TaskVariable);
    }

    /// <summary>The agent's definition.</summary>
    public AgentDefinition Definition => _definition;

    /// <summary>The system prompt the agent sends.</summary>
    public string SystemPrompt => _prompts.SystemPrompt;

    /// <summary>Runs <paramref name="task"/> to a final answer.</summary>
    public Task<AgentRunResult> RunAsync(string task, CancellationToken cancellationToken = default) =>
        RunAsync(new TrajectoryTask(Guid.NewGuid().ToString("N")[..12], task), null, cancellationToken);

    /// <summary>Runs <paramref name="task"/> (scored when it has a reference answer) with per-run <paramref name="settings"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; the partial run was recorded first.</exception>
    public async Task<AgentRunResult> RunAsync(TrajectoryTask task, AgentRunSettings? settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(task.Question, nameof(task));
        var clock = _options.TimeProvider;
        var run = new RunState(Guid.NewGuid().ToString("N"), task, clock.GetUtcNow(), clock.GetTimestamp());
        run.Memory.Add(new TaskStep(task.Question));
        Report(new RunStartedEvent(run.Id, task));

        var model = new ModelCall(_generator, _definition.Sampling);
        string? answer = null;
        RunOutcome outcome;
        string? error = null;
        try
        {
            await using var session = await _sandbox.OpenSessionAsync(_tools, cancellationToken).ConfigureAwait(false);
            await DeclareTaskVariableAsync(session, task.Question, cancellationToken).ConfigureAwait(false);
            answer = await LoopAsync(run, model, session, settings, cancellationToken).ConfigureAwait(false);
            outcome = run.Memory[^1] is FinalAnswerStep { Source: FinalAnswerSource.Code } ? RunOutcome.Answered : RunOutcome.StepLimit;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(run, null, RunOutcome.Cancelled, "cancelled").ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = RunOutcome.Failed;
            error = ex.Message;
            await FinishAsync(run, null, outcome, error).ConfigureAwait(false);
            throw;
        }
        return new AgentRunResult(await FinishAsync(run, answer, outcome, error).ConfigureAwait(false));
    }

    private async Task DeclareTaskVariableAsync(ICodeSession session, string question, CancellationToken cancellationToken)
    {
        if (_definition.TaskVariable is not { } name)
            return;
        var result = await session.ExecuteAsync(TaskVariable.Declaration(name, question), cancellationToken).ConfigureAwait(false);
        if (result.Status != ExecutionStatus.Ok)
            throw new InvalidOperationException($"Could not declare the task variable '{name}' in the code session ({result.Status}): {result.Error}");
    }

    private async Task<string?> LoopAsync(RunState run, ModelCall model, ICodeSession session, AgentRunSettings? settings, CancellationToken cancellationToken)
    {
        var interval = _definition.PlanningInterval;
        for (var step = 1; step <= _definition.MaxSteps; step++)
        {
            var planning = interval > 0 && (step - 1) % interval == 0;
            Report(new StepStartedEvent(run.Id, step, planning));
            if (planning)
                await PlanAsync(run, model, step, cancellationToken).ConfigureAwait(false);

            var prefix = step == 1 ? NormalizePrefix(settings?.FirstThoughtPrefix) : null;
            var action = await ActAsync(run, model, session, step, prefix, cancellationToken).ConfigureAwait(false);
            if (action.FinalAnswer is not null)
            {
                run.Memory.Add(new FinalAnswerStep(action.FinalAnswer, FinalAnswerSource.Code));
                return action.FinalAnswer;
            }
        }
        return await AskFinalAnswerAsync(run, model, cancellationToken).ConfigureAwait(false);
    }

    private async Task PlanAsync(RunState run, ModelCall model, int step, CancellationToken cancellationToken)
    {
        var prompt = _prompts.ForPlan(run.Memory);
        var result = await model.SampleAsync(prompt, 1, grammar: null, s_actionStops, cancellationToken).ConfigureAwait(false);
        var plan = new PlanningStep(step, prompt, result.Candidates[0].Text.Trim(), ModelCall.Usage(result));
        run.Count(plan.Usage);
        run.Memory.Add(plan);
        Report(new PlanCreatedEvent(run.Id, plan));
        await RecordStepAsync(run, step - 1).ConfigureAwait(false);
    }

    private async Task<ActionStep> ActAsync(RunState run, ModelCall model, ICodeSession session, int step, string? prefix, CancellationToken cancellationToken)
    {
        var clock = _options.TimeProvider;
        var started = clock.GetTimestamp();
        var prompt = _prompts.ForAction(run.Memory);
        string? grammar = null;
        var forcedStart = "";
        if (_definition.Grammar)
        {
            // The grammar makes the model write the prefix itself: exact with any grammar-capable backend.
            grammar = ActionGrammar.Build(_definition.GrammarMaxThoughtChars, _definition.GrammarMaxCodeChars, prefix);
        }
        else if (prefix is not null)
        {
            // Without a grammar the prefix is a trailing assistant message for the backend to continue.
            forcedStart = $"Thought: {prefix}";
            prompt = [.. prompt, new PromptMessage(PromptRoles.Assistant, forcedStart)];
        }

        var sampled = await model.SampleAsync(prompt, _definition.Sampling.Candidates, grammar, grammar is null ? s_actionStops : [], cancellationToken).ConfigureAwait(false);
        var texts = sampled.Candidates.Select(c => Continue(forcedStart, c.Text)).ToList();
        var parses = texts.Select(ActionParser.Parse).ToList();

        var executionStarted = clock.GetTimestamp();
        var (outcomes, vote) = await CandidateExecutor.RunAsync(session, parses, cancellationToken).ConfigureAwait(false);
        var executionMs = clock.GetElapsedTime(executionStarted).TotalMilliseconds;

        var chosen = outcomes[vote.ChosenIndex];
        var observation = chosen.Execution is { } execution
            ? ObservationFormatter.Format(execution, _definition.ObservationMaxChars)
            : ObservationFormatter.Truncate(chosen.Parse.Error!, _definition.ObservationMaxChars);
        var usage = ModelCall.Usage(sampled);
        var totalMs = clock.GetElapsedTime(started).TotalMilliseconds;

        var action = new ActionStep
        {
            Step = step,
            Prompt = prompt,
            Candidates = [.. outcomes.Select((o, i) => ToRecord(i, texts[i], sampled.Candidates[i], o, vote))],
            ChosenIndex = vote.ChosenIndex,
            Action = chosen.Parse.Succeeded ? chosen.Parse.ToCanonicalText() : texts[vote.ChosenIndex].Trim(),
            ForcedPrefix = prefix,
            Observation = observation,
            IsError = !chosen.IsValid,
            FinalAnswer = chosen.Execution?.FinalAnswer,
            Usage = usage,
            ExecutionMs = executionMs,
            OverheadMs = Math.Max(0, totalMs - executionMs - usage.ModelMs),
            Cascade = sampled.Routing,
        };
        run.Count(usage);
        run.Memory.Add(action);
        Report(new ActionCompletedEvent(run.Id, action));
        if (action.FinalAnswer is null)
            await RecordStepAsync(run, step).ConfigureAwait(false); // a final answer is recorded by FinishAsync right after
        return action;
    }

    private async Task<string> AskFinalAnswerAsync(RunState run, ModelCall model, CancellationToken cancellationToken)
    {
        var prompt = _prompts.ForFinalAnswer(run.Memory);
        var result = await model.SampleAsync(prompt, 1, grammar: null, [], cancellationToken).ConfigureAwait(false);
        var text = result.Candidates[0].Text;
        var answer = CleanPlainAnswer(text);
        var usage = ModelCall.Usage(result);
        run.Count(usage);
        run.Memory.Add(new FinalAnswerStep(answer, FinalAnswerSource.StepLimit, prompt, text, usage));
        return answer;
    }

    /// <summary>With <see cref="AgentRunOptions.RecordEachStep"/>, writes the run so far: a killed process keeps this step.</summary>
    private async Task RecordStepAsync(RunState run, int actionSteps)
    {
        if (_options.RecordEachStep && _options.Sink is { } sink)
            await sink.WriteAsync(BuildRecord(run, null, RunOutcome.Cancelled, UnfinishedRun.Error(actionSteps)), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<TrajectoryRecord> FinishAsync(RunState run, string? answer, RunOutcome outcome, string? error)
    {
        var record = BuildRecord(run, answer, outcome, error);
        if (_options.Sink is { } sink)
            await sink.WriteAsync(record, CancellationToken.None).ConfigureAwait(false); // a cancelled run is still recorded
        Report(new RunCompletedEvent(run.Id, record));
        return record;
    }

    private TrajectoryRecord BuildRecord(RunState run, string? answer, RunOutcome outcome, string? error)
    {
        var reference = run.Task.ReferenceAnswer;
        return new TrajectoryRecord
        {
            RunId = run.Id,
            StartedAt = run.StartedAt,
            DurationMs = _options.TimeProvider.GetElapsedTime(run.StartTimestamp).TotalMilliseconds,
            Task = run.Task,
            Agent = _definition.ToSnapshot(),
            Model = _generator.Model,
            Sampling = new SamplingSettings(_definition.Sampling.Candidates, _definition.Sampling.Temperature, _definition.Sampling.TopP,
                _definition.Sampling.Seed, _definition.Sampling.MaxTokensPerStep, _definition.Grammar),
            Steps = [.. run.Memory],
            FinalAnswer = answer,
            Outcome = outcome,
            Error = outcome is RunOutcome.Failed or RunOutcome.Cancelled ? error : null,
            Score = reference is not null && outcome is RunOutcome.Answered or RunOutcome.StepLimit ? AnswerScorer.Score(answer, reference) : null,
            PromptTokens = run.PromptTokens,
            CompletionTokens = run.CompletionTokens,
        };
    }

    private void Report(AgentEvent e) => _options.Progress?.Report(e);

    private static CandidateRecord ToRecord(int index, string text, CandidateCompletion completion, SelfConsistency.CandidateOutcome outcome, SelfConsistency.CandidateVote vote) => new()
    {
        Index = index,
        Text = text,
        Tokens = completion.Tokens,
        FinishReason = completion.FinishReason,
        Parsed = outcome.Parse.Succeeded,
        ParseError = outcome.Parse.Error,
        Thought = outcome.Parse.Succeeded ? outcome.Parse.Thought : null,
        Code = outcome.Parse.Code,
        Status = outcome.Execution?.Status,
        Output = outcome.Execution?.Output,
        ReturnValue = outcome.Execution?.ReturnValue,
        Error = outcome.Execution?.Error,
        FinalAnswer = outcome.Execution?.FinalAnswer,
        ExecutionMs = outcome.Execution?.ElapsedMs ?? 0,
        Votes = vote.Votes[index],
        Chosen = index == vote.ChosenIndex,
    };

    /// <summary>
    /// One line, no backticks, no control characters: the prefix must fit the action format it is forced into, and a
    /// model's chain of thought (a first thought) can hold anything, a NUL included, which no grammar can.
    /// </summary>
    private static string? NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
            return null;
        var printable = new string([.. prefix.Replace('`', '\'').Select(c => c is '\r' or '\n' ? '\n' : char.IsControl(c) ? ' ' : c)]);
        var line = string.Join(' ', printable.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length == 0 ? null : line;
    }

    /// <summary>
    /// The candidate's full text after a forced start. A backend that ignored the trailing assistant message
    /// starts a fresh "Thought:"; its text is then taken as is.
    /// </summary>
    private static string Continue(string forcedStart, string generated) =>
        forcedStart.Length == 0 || generated.TrimStart().StartsWith("Thought:", StringComparison.OrdinalIgnoreCase)
            ? generated
            : forcedStart + generated;

    /// <summary>Drops a leading "Final answer:" label and surrounding whitespace from a plain reply.</summary>
    private static string CleanPlainAnswer(string text)
    {
        var answer = text.Trim();
        foreach (var label in (string[])["Final answer:", "Answer:"])
            if (answer.StartsWith(label, StringComparison.OrdinalIgnoreCase))
                answer = answer[label.Length..].Trim();
        return answer;
    }

    private static void CheckTools(AgentDefinition definition, IReadOnlyList<IAgentTool> tools)
    {
        var given = tools.Select(t => t.Definition.Name).ToList();
        var missing = definition.Tools.Where(n => !given.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Agent '{definition.Name}' needs tool(s) {string.Join(", ", missing)}, but the host provided [{string.Join(", ", given)}].");
        var extra = given.Where(n => !definition.Tools.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (extra.Count > 0)
            throw new ArgumentException($"Tool(s) {string.Join(", ", extra)} are not listed in agent '{definition.Name}' (tools: [{string.Join(", ", definition.Tools)}]).");
    }

    private sealed class RunState(string id, TrajectoryTask task, DateTimeOffset startedAt, long startTimestamp)
    {
        public string Id { get; } = id;
        public TrajectoryTask Task { get; } = task;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public long StartTimestamp { get; } = startTimestamp;
        public List<AgentStep> Memory { get; } = [];
        public int PromptTokens { get; private set; }
        public int CompletionTokens { get; private set; }

        public void Count(ModelUsage usage)
        {
            PromptTokens += usage.PromptTokens;
            CompletionTokens += usage.CompletionTokens;
        }
    }
}
