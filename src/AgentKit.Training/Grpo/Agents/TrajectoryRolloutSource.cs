using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo.Agents;

/// <summary>
/// Offline GRPO (<c>--from-trajectories</c>): replays recorded agent runs as rollouts instead of sampling new ones. A
/// group of task T is G of T's recorded runs, drawn without replacement with the request's seed. Runs recorded by
/// <see cref="AgentRolloutSource"/> carry their exact token sequence and sampling log-probs and are replayed as sampled;
/// any other run (e.g. from <c>agentkit run</c>, which keeps text only) is re-tokenised from its recorded prompts and
/// replies — each reply's text plus <c>&lt;|im_end|&gt;</c> as the trained tokens, log-probs 0 (the trainer computes
/// the old policy's own) — which can differ from the tokens the model actually sampled. The policy does not produce
/// these rollouts, so the update is off-policy: use it to inspect and reuse data, not in place of on-policy sampling.
/// </summary>
public sealed class TrajectoryRolloutSource : IRolloutSource
{
    private readonly ITextTokenizer _tokenizer;
    private readonly AgentTruncation _truncation;
    private readonly Dictionary<string, List<RecordedRollout>> _byTask;

    /// <summary>Creates a source over recorded runs.</summary>
    /// <param name="runs">The runs (<see cref="RolloutTrajectoryFile.Read"/>); cancelled runs are left out, and failed ones unless a rollout source recorded them.</param>
    /// <param name="tokenizer">The policy's tokenizer (ChatML special tokens).</param>
    /// <param name="truncation">Which re-tokenised runs count as truncated (runs with a GRPO record keep theirs).</param>
    public TrajectoryRolloutSource(IEnumerable<RecordedRollout> runs, ITextTokenizer tokenizer, AgentTruncation truncation = AgentTruncation.Both)
    {
        ArgumentNullException.ThrowIfNull(runs);
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        if (tokenizer.SpecialTokenId(ChatFormat.ImEnd) is null)
            throw new ArgumentException("The tokenizer has no <|im_end|> token; replayed conversations are rendered in ChatML.", nameof(tokenizer));
        _truncation = truncation;
        // A run cut because it outgrew the policy's context is recorded as failed but is a rollout all the same.
        _byTask = runs.Where(r => r.Trajectory.Outcome is RunOutcome.Answered or RunOutcome.StepLimit || (r.Trajectory.Outcome == RunOutcome.Failed && r.Grpo is not null))
            .GroupBy(r => r.Trajectory.Task.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (_byTask.Count == 0)
            throw new ArgumentException("No agent runs to replay (cancelled runs, and failed runs without a GRPO record, are left out).", nameof(runs));
    }

    /// <summary>Reads the runs of a trajectory file (<see cref="RolloutTrajectoryFile.Read"/>).</summary>
    public static TrajectoryRolloutSource FromFile(string path, ITextTokenizer tokenizer, AgentTruncation truncation = AgentTruncation.Both) =>
        new(RolloutTrajectoryFile.Read(path).Rollouts, tokenizer, truncation);

    /// <summary>Recorded runs per task id.</summary>
    public IReadOnlyDictionary<string, int> RunsPerTask => _byTask.ToDictionary(p => p.Key, p => p.Value.Count);

    /// <inheritdoc />
    public Task<IReadOnlyList<Rollout>> SampleGroupAsync(RolloutRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_byTask.TryGetValue(request.Task.Id, out var runs) || runs.Count < request.GroupSize)
            throw new InvalidOperationException(
                $"Task '{request.Task.Id}' has {runs?.Count ?? 0} recorded run(s); a group needs {request.GroupSize}. Record more runs or lower the group size.");
        var picked = runs.ToArray();
        new Random(unchecked((int)request.Seed ^ (int)(request.Seed >> 32))).Shuffle(picked);
        IReadOnlyList<Rollout> rollouts = [.. picked.Take(request.GroupSize).Select(r => Replay(request.Task, r))];
        return Task.FromResult(rollouts);
    }

    private Rollout Replay(TrajectoryTask task, RecordedRollout run)
    {
        var record = run.Trajectory;
        if (run.Grpo is { } grpo)
        {
            return new Rollout
            {
                Task = task, TokenIds = grpo.TokenIds, PolicyMask = grpo.PolicyMask, SamplingLogProbs = grpo.SamplingLogProbs, Truncated = grpo.Truncated,
                CompletionText = CompletionTextOf(record), FinalAnswer = record.FinalAnswer, Actions = AgentRollouts.Actions(record), Trajectory = record,
            }.Validate();
        }
        var conversation = new ConversationTokens(_tokenizer);
        var imEnd = _tokenizer.SpecialTokenId(ChatFormat.ImEnd)!.Value;
        var calls = ModelCalls(record);
        if (calls.Count == 0)
            throw new InvalidOperationException($"Run '{record.RunId}' of task '{task.Id}' records no model call to replay.");
        var cut = false;
        foreach (var (prompt, text, finish) in calls)
        {
            if (prompt.Count > 0 && prompt[^1].Role == "assistant")
                throw new InvalidOperationException($"Run '{record.RunId}' forced the start of a reply (a first-thought prefix); such runs cannot be replayed.");
            conversation.BeginCall([.. prompt.Select(m => (m.Role, m.Content))]);
            List<int> reply = [.. _tokenizer.Encode(text), imEnd];
            conversation.EndCall(reply, [.. reply.Select(_ => 0f)]);
            cut |= finish == FinishReasons.Length;
        }
        var truncated = (_truncation.HasFlag(AgentTruncation.StepAtTokenLimit) && cut)
            || (_truncation.HasFlag(AgentTruncation.RunAtStepLimit) && record.Outcome != RunOutcome.Answered);
        return AgentRollouts.ToRollout(task, record, conversation, [.. calls.Select(c => c.Text)], truncated);
    }

    private static string CompletionTextOf(TrajectoryRecord record) => string.Join("\n\n", ModelCalls(record).Select(c => c.Text));

    /// <summary>Every model call of a run in order: its prompt, the reply's text and how it finished.</summary>
    private static List<(IReadOnlyList<PromptMessage> Prompt, string Text, string? Finish)> ModelCalls(TrajectoryRecord record)
    {
        var calls = new List<(IReadOnlyList<PromptMessage>, string, string?)>();
        foreach (var step in record.Steps)
        {
            switch (step)
            {
                case PlanningStep plan:
                    calls.Add((plan.Prompt, plan.Plan, null));
                    break;
                case ActionStep action:
                    var chosen = action.Candidates[action.ChosenIndex];
                    calls.Add((action.Prompt, chosen.Text, chosen.FinishReason));
                    break;
                case FinalAnswerStep { Source: FinalAnswerSource.StepLimit, Prompt: { } prompt, Text: { } text }:
                    calls.Add((prompt, text, null));
                    break;
            }
        }
        return calls;
    }
}
