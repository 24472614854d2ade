using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Agents;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Tokenization;
using Xunit.Abstractions;

namespace AgentKit.Training.Tests.Grpo.Agents;

[Collection(AgentPolicyCollection.Name)]
public sealed class AgentRolloutSourceTests(AgentPolicyFixture fixture, ITestOutputHelper output)
{
    private const float Temperature = 1f;

    private AgentRolloutSource Source(AgentRolloutOptions? options = null) =>
        new(AgentPolicyFixture.Definition, fixture.Sandbox, [], fixture.Tokenizer, options);

    private Task<IReadOnlyList<Rollout>> SampleAsync(AgentRolloutSource source, long seed, int group = 4) =>
        source.SampleGroupAsync(new RolloutRequest(fixture.Policy, AgentPolicyFixture.Task, group, 48, Temperature, 1f, seed));

    [Fact]
    public async Task A_rollout_is_a_whole_agent_run_through_the_sandbox_and_the_answer_reward_sees_what_its_code_computed()
    {
        var group = await SampleAsync(Source(), seed: 21);
        var answer = new AnswerMatchReward();
        foreach (var r in group)
            output.WriteLine($"answer={r.FinalAnswer ?? "-"} truncated={r.Truncated} actions={r.Actions.Count} reward={answer.Score(r).Value} tokens={r.TokenIds.Count}/{r.PolicyTokenCount}\n{r.CompletionText}\n---");

        var solved = group.Where(r => answer.Score(r).Value == 1).ToList();
        Assert.NotEmpty(solved);
        foreach (var r in solved)
        {
            // 42 is nowhere in what the policy wrote: the sandbox computed it from 6 * 7 and FinalAnswer(x) returned it.
            Assert.DoesNotContain("42", r.CompletionText);
            Assert.Equal(RunOutcome.Answered, r.Trajectory!.Outcome);
            Assert.All(r.Actions, a => Assert.True(a.Ran));
            Assert.Equal(1.0, new ActionFormatReward().Score(r).Value);
            Assert.False(r.Truncated);
        }
    }

    [Fact]
    public async Task The_mask_covers_exactly_the_sampled_tokens_and_their_log_probs_match_a_full_forward_pass()
    {
        var group = await SampleAsync(Source(), seed: 5);
        var imEnd = fixture.Tokenizer.SpecialTokenId(ChatFormat.ImEnd)!.Value;
        foreach (var r in group)
        {
            var record = r.Trajectory!;
            // As many trained tokens as the model calls of the run generated (their stop tokens included)...
            Assert.Equal(record.CompletionTokens, r.PolicyTokenCount);
            // ...and they are the calls' texts, in order: every masked-in span decodes to one call's text.
            var spans = Spans(r, generated: true).Select(s => fixture.Tokenizer.Decode(s.Where(t => t != imEnd))).ToList();
            Assert.Equal(r.CompletionText, string.Join("\n\n", spans));
            // The system prompt, the task and every observation are masked out.
            var context = string.Concat(Spans(r, generated: false).Select(s => fixture.Tokenizer.Decode(s)));
            Assert.Contains("Task: " + AgentPolicyFixture.Task.Question, context);
            // (A run that outgrew the context ends before its last observation reaches the policy.)
            var actions = record.Steps.OfType<ActionStep>().ToList();
            foreach (var step in actions.Take(record.Outcome == RunOutcome.StepLimit ? actions.Count : actions.Count - 1))
                Assert.Contains("Observation: " + step.Observation, context);
            Assert.DoesNotContain("Task:", string.Concat(spans));
            Assert.False(r.PolicyMask[0]);
            Assert.True(r.TokenIds.Count <= fixture.Policy.Config.MaxPositionEmbeddings, $"{r.TokenIds.Count} tokens exceed the policy's context");
        }

        fixture.Policy.eval();
        using var batch = RolloutBatch.Build(group, maskTruncated: false);
        var (recomputed, _) = PolicyLogProbs.Compute(fixture.Policy, batch.Inputs, batch.Targets, batch.Mask, Temperature);
        var largest = (recomputed - batch.SamplingLogProbs).abs().max().item<float>();
        Assert.True(largest < 1e-3, $"sampling and full-pass log-probs differ by {largest}");
        Assert.True(batch.Mask.sum().item<float>() > 0);
    }

    [Fact]
    public async Task A_group_with_the_same_seed_is_the_same_and_another_seed_gives_other_runs()
    {
        var source = Source(new AgentRolloutOptions { MaxParallelRuns = 2 });
        var first = await SampleAsync(source, seed: 8);
        var again = await SampleAsync(Source(new AgentRolloutOptions { MaxParallelRuns = 1 }), seed: 8);
        Assert.Equal(first.Select(r => string.Join(',', r.TokenIds)), again.Select(r => string.Join(',', r.TokenIds)));
        Assert.Equal(first.Select(r => r.FinalAnswer), again.Select(r => r.FinalAnswer));
        Assert.Equal(first.Select(r => r.Trajectory!.RunId), again.Select(r => r.Trajectory!.RunId));
        Assert.True(first.Select(r => string.Join(',', r.TokenIds)).Distinct().Count() > 1, "the rollouts of a group should differ");
        var other = await SampleAsync(source, seed: 9);
        Assert.NotEqual(first.Select(r => string.Join(',', r.TokenIds)), other.Select(r => string.Join(',', r.TokenIds)));
    }

    [Fact]
    public async Task A_run_whose_sandbox_session_fails_to_start_is_run_again_and_samples_the_same_rollout()
    {
        var steady = await SampleAsync(Source(new AgentRolloutOptions { MaxParallelRuns = 1 }), seed: 8, group: 2);
        var retries = new List<string>();
        var flaky = new FlakySandbox(fixture.Sandbox, failures: 2);

        var group = await new AgentRolloutSource(AgentPolicyFixture.Definition, flaky, [], fixture.Tokenizer,
            new AgentRolloutOptions { MaxParallelRuns = 1, OnRetry = retries.Add }).SampleGroupAsync(
            new RolloutRequest(fixture.Policy, AgentPolicyFixture.Task, 2, 48, Temperature, 1f, 8));

        Assert.Equal(steady.Select(r => string.Join(',', r.TokenIds)), group.Select(r => string.Join(',', r.TokenIds)));
        Assert.Equal(2, retries.Count);
        Assert.Contains("no worker started within", retries[0]);
        // With one attempt the machinery's failure ends the step, as before.
        var once = new AgentRolloutSource(AgentPolicyFixture.Definition, new FlakySandbox(fixture.Sandbox, failures: 1), [], fixture.Tokenizer,
            new AgentRolloutOptions { MaxParallelRuns = 1, RunAttempts = 1 });
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            once.SampleGroupAsync(new RolloutRequest(fixture.Policy, AgentPolicyFixture.Task, 2, 48, Temperature, 1f, 8)));
    }

    /// <summary>The real sandbox, except that its first <c>failures</c> sessions fail to open (a worker that does not start in time under load).</summary>
    private sealed class FlakySandbox(ICodeSandbox inner, int failures) : ICodeSandbox
    {
        private int _failuresLeft = failures;

        public Task<ICodeSession> OpenSessionAsync(IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _failuresLeft) >= 0
                ? throw new InvalidOperationException("no worker started within 5000 ms")
                : inner.OpenSessionAsync(tools, cancellationToken);
    }

    [Fact]
    public void Options_and_agents_a_torch_policy_cannot_run_are_refused_at_construction()
    {
        Assert.Contains("MaxParallelRuns", Assert.Throws<ArgumentException>(() => Source(new AgentRolloutOptions { MaxParallelRuns = 0 })).Message);
        Assert.Contains("RunAttempts", Assert.Throws<ArgumentException>(() => Source(new AgentRolloutOptions { RunAttempts = 0 })).Message);
        Assert.Contains("grammar", Assert.Throws<ArgumentException>(() =>
            new AgentRolloutSource(AgentPolicyFixture.Definition with { Grammar = true }, fixture.Sandbox, [], fixture.Tokenizer)).Message);
        Assert.Contains("candidates", Assert.Throws<ArgumentException>(() => new AgentRolloutSource(
            AgentPolicyFixture.Definition with { Sampling = new() { Candidates = 3 } }, fixture.Sandbox, [], fixture.Tokenizer)).Message);
        Assert.Contains("needs tool", Assert.Throws<ArgumentException>(() =>
            new AgentRolloutSource(AgentPolicyFixture.Definition with { Tools = ["search"] }, fixture.Sandbox, [], fixture.Tokenizer)).Message);
    }

    private static IEnumerable<List<int>> Spans(Rollout r, bool generated)
    {
        var span = new List<int>();
        for (var i = 0; i < r.TokenIds.Count; i++)
        {
            if (r.PolicyMask[i] == generated)
                span.Add(r.TokenIds[i]);
            else if (span.Count > 0)
            {
                yield return span;
                span = [];
            }
        }
        if (span.Count > 0)
            yield return span;
    }
}
