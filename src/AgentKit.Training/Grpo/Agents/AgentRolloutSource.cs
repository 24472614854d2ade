using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo.Agents;

/// <summary>
/// Rollouts that are whole agent runs: <see cref="Agent"/> with the real sandbox and tools, the policy as its candidate
/// generator (one candidate per step; the group's G rollouts are G separate runs, run in parallel, each with its own
/// sandbox session, with model calls serialised). A rollout's sequence is the conversation as token ids: the tokens the
/// policy sampled at every step — plans, actions, the plain answer at the step limit — trained, with their sampling
/// log-probs; the system prompt, task, observations and the chat template's glue masked out (see
/// <see cref="ConversationTokens"/> for how each step's context extends the last). The reward comes from the reward
/// functions on the finished run (<see cref="Rollout.FinalAnswer"/>, <see cref="Rollout.Actions"/>). Sampling uses the
/// GRPO request's temperature, top-p and per-step token limit, and seeds derived from its seed, so a group is the same
/// every time it is sampled with the same seed and weights. With <see cref="AgentRolloutOptions.TrajectoryPath"/>, every
/// scored run is recorded (<see cref="RolloutTrajectoryFile"/>).
/// </summary>
public sealed class AgentRolloutSource : IRolloutSource, IScoredRolloutObserver
{
    private readonly AgentDefinition _definition;
    private readonly ICodeSandbox _sandbox;
    private readonly IReadOnlyList<IAgentTool> _tools;
    private readonly ITextTokenizer _tokenizer;
    private readonly AgentRolloutOptions _options;
    private readonly int[] _stopTokenIds;

    /// <summary>Creates a source.</summary>
    /// <param name="definition">The agent; its grammar must be off (the TorchSharp policy samples without one) and it must take one candidate per step.</param>
    /// <param name="sandbox">The running sandbox the runs execute in (its pool size bounds how many run at once in practice).</param>
    /// <param name="tools">Exactly the tools the definition names.</param>
    /// <param name="tokenizer">The policy's tokenizer (ChatML special tokens).</param>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentException">The agent cannot be run by a TorchSharp policy, or the options are invalid.</exception>
    public AgentRolloutSource(AgentDefinition definition, ICodeSandbox sandbox, IReadOnlyList<IAgentTool> tools, ITextTokenizer tokenizer,
        AgentRolloutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));
        _tools = tools ?? throw new ArgumentNullException(nameof(tools));
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _options = (options ?? new AgentRolloutOptions()).Validate();
        if (definition.Grammar)
            throw new ArgumentException($"Agent '{definition.Name}' samples with a grammar, which the TorchSharp policy cannot follow; set \"grammar\": false for GRPO.", nameof(definition));
        if (definition.Sampling.Candidates != 1)
            throw new ArgumentException($"Agent '{definition.Name}' samples {definition.Sampling.Candidates} candidates per step; GRPO rollouts take one (the group's runs are the alternatives).", nameof(definition));
        // Builds (and so checks) the agent once: a definition or tool mismatch fails here, not in the first step.
        _ = new Agent(definition, new UnusedGenerator(), sandbox, tools);
        _definition = definition;
        if (tokenizer.SpecialTokenId(ChatFormat.ImStart) is null || tokenizer.SpecialTokenId(ChatFormat.ImEnd) is null)
            throw new ArgumentException("The tokenizer has no ChatML special tokens (<|im_start|>, <|im_end|>); agent rollouts render the conversation with them.", nameof(tokenizer));
        _stopTokenIds = _options.StopTokenIds is { } ids
            ? [.. ids]
            : ChatFormat.StopTokenIds(tokenizer);
    }

    /// <summary>The settings in use.</summary>
    public AgentRolloutOptions Options => _options;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Rollout>> SampleGroupAsync(RolloutRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Task.Question))
            throw new ArgumentException($"Task '{request.Task.Id}' has no question.");
        var modelGate = new SemaphoreSlim(1, 1);
        var runGate = new SemaphoreSlim(_options.MaxParallelRuns, _options.MaxParallelRuns);
        try
        {
            var runs = Enumerable.Range(0, request.GroupSize).Select(async i =>
            {
                await runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await RunOneAsync(request, i, modelGate, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    runGate.Release();
                }
            }).ToList();
            return await Task.WhenAll(runs).ConfigureAwait(false);
        }
        finally
        {
            modelGate.Dispose();
            runGate.Dispose();
        }
    }

    /// <inheritdoc />
    public Task OnGroupScoredAsync(ScoredRolloutGroup group, CancellationToken cancellationToken = default) =>
        _options.TrajectoryPath is { } path
            ? RolloutTrajectoryFile.AppendAsync(path, group, r => r.Truncated, cancellationToken)
            : Task.CompletedTask;

    private async Task<Rollout> RunOneAsync(RolloutRequest request, int index, SemaphoreSlim modelGate, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(request, index, modelGate, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < _options.RunAttempts && ex is not (OperationCanceledException or OutOfMemoryException)
                                       && !cancellationToken.IsCancellationRequested)
            {
                // A run that throws failed in the machinery (a sandbox session that did not start within its limit on a
                // loaded machine, a worker that died): what the policy wrote is an observation, never an exception. Its
                // seed depends only on the request, so running it again samples the same run.
                _options.OnRetry?.Invoke($"agent run {index} of task '{request.Task.Id}' failed ({ex.Message.ReplaceLineEndings(" ")}); attempt {attempt + 1} of {_options.RunAttempts}");
            }
        }
    }

    private async Task<Rollout> RunOnceAsync(RolloutRequest request, int index, SemaphoreSlim modelGate, CancellationToken cancellationToken)
    {
        var generator = new PolicyStepGenerator(request.Policy, _tokenizer, modelGate, new ModelIdentity(_options.ModelName, "grpo"), _stopTokenIds,
            request.Temperature, request.TopP, request.MaxCompletionTokens, Seeds.Mix(request.Seed, index, 0xA93), _options.TimeProvider);
        var sink = new LastRecordSink();
        var agent = new Agent(_definition, generator, _sandbox, _tools, new AgentRunOptions { Sink = sink, TimeProvider = _options.TimeProvider });
        var contextFull = false;
        try
        {
            await agent.RunAsync(request.Task, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ContextFullException) when (generator.Conversation.Calls > 0)
        {
            // The conversation outgrew the policy: the run ends here, unanswered, and its tokens so far are the rollout.
            contextFull = true;
            generator.Conversation.DropUnansweredCall();
        }
        var record = sink.Last ?? throw new InvalidOperationException($"The agent run of task '{request.Task.Id}' left no record.");
        // Run ids derive from the group's seed: a step sampled again after a resume replaces its earlier lines.
        record = record with { RunId = $"grpo-{request.Seed:x}-{index}" };
        return AgentRollouts.ToRollout(request.Task, record, generator.Conversation, generator.Texts,
            Truncated(record, generator.TruncatedCalls > 0, contextFull));
    }

    private bool Truncated(TrajectoryRecord record, bool stepCut, bool contextFull)
    {
        var truncation = _options.Truncation;
        var unanswered = contextFull || record.Outcome != RunOutcome.Answered;
        return (truncation.HasFlag(AgentTruncation.StepAtTokenLimit) && stepCut)
            || (truncation.HasFlag(AgentTruncation.RunAtStepLimit) && unanswered);
    }

    /// <summary>Keeps the run's last record (a run that fails is recorded before the agent rethrows).</summary>
    private sealed class LastRecordSink : ITrajectorySink
    {
        public TrajectoryRecord? Last { get; private set; }

        public ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
        {
            Last = record;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Stands in for the policy when the constructor checks the definition against the tools.</summary>
    private sealed class UnusedGenerator : ICandidateGenerator
    {
        public ModelIdentity Model { get; } = new("unused", "unused");

        public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not a model.");
    }
}
