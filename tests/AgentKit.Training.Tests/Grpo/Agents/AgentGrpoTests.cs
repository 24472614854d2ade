using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Agents;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Grpo.Agents;

/// <summary>GRPO over agent runs end to end: training steps, the recorded trajectories with their rewards, and their offline replay.</summary>
[Collection(AgentPolicyCollection.Name)]
public sealed class AgentGrpoTests(AgentPolicyFixture fixture)
{
    [Fact]
    public async Task Grpo_trains_on_agent_rollouts_and_records_every_run_with_its_rewards_for_offline_replay()
    {
        var dir = TinyFixtures.TempDir();
        var trajectories = Path.Combine(dir, "agent-rollouts.jsonl");
        using var model = CopyOfPolicy();
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var source = new AgentRolloutSource(AgentPolicyFixture.Definition, fixture.Sandbox, [], fixture.Tokenizer,
            new AgentRolloutOptions { TrajectoryPath = trajectories, MaxParallelRuns = 2 });
        var options = new GrpoOptions
        {
            OutputDirectory = Path.Combine(dir, "run"), MaxSteps = 2, GroupSize = 4, PromptsPerStep = 1, MaxCompletionLength = 48,
            LearningRate = 1e-3, Seed = 4, Threads = 1, RewardWeights = [1.0, 0.1],
        };
        var result = await new GrpoTrainer(options, source, [new AnswerMatchReward(), new ActionFormatReward()], fixture.Tokenizer)
            .TrainAsync(model, [AgentPolicyFixture.Task]);

        Assert.Equal(2, result.History.Count);
        Assert.All(result.History, h => Assert.True(h.CompletionLengthMean > 0));
        Assert.Contains(result.History, h => h.GroupsTrained == 1 && h.RewardStd > 0);
        Assert.Contains(model.state_dict(), p => !p.Value.allclose(before[p.Key], rtol: 0, atol: 0));

        // Every run is in the trajectory file, which the ordinary reader takes as is, with its rewards and reasons attached.
        Assert.Empty(JsonlTrajectoryReader.Read(trajectories).Warnings);
        Assert.Equal(8, JsonlTrajectoryReader.Read(trajectories).Records.Count);
        var (recorded, warnings) = RolloutTrajectoryFile.Read(trajectories);
        Assert.Empty(warnings);
        Assert.Equal(8, recorded.Count);
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2], recorded.Select(r => r.Grpo!.Step));
        foreach (var run in recorded)
        {
            var grpo = run.Grpo!;
            var correct = run.Trajectory.FinalAnswer == "42";
            Assert.Equal(correct ? 1 : 0, grpo.Rewards["answer"].Value);
            Assert.Contains(correct ? "match" : "", grpo.Rewards["answer"].Reason);
            Assert.Contains("parsed", grpo.Rewards["format"].Reason);
            Assert.Equal(grpo.Rewards["answer"].Value + 0.1 * grpo.Rewards["format"].Value, grpo.Reward, 9);
            Assert.Equal(grpo.TokenIds.Count, grpo.PolicyMask.Count);
            Assert.Equal(AgentPolicyFixture.Task.Id, run.Trajectory.Task.Id);
        }
        Assert.Contains(recorded, r => r.Grpo!.Rewards["answer"].Value == 1);

        // Offline: recorded runs replay with the exact tokens they were sampled with...
        var replay = TrajectoryRolloutSource.FromFile(trajectories, fixture.Tokenizer);
        var group = await replay.SampleGroupAsync(new RolloutRequest(model, AgentPolicyFixture.Task, 4, 48, 1f, 1f, 77));
        var sequences = recorded.Select(r => string.Join(',', r.Grpo!.TokenIds)).ToHashSet();
        Assert.All(group, r => Assert.Contains(string.Join(',', r.TokenIds), sequences));
        Assert.Equal(4, group.Select(r => r.Trajectory!.RunId).Distinct().Count());
        var tooMany = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            replay.SampleGroupAsync(new RolloutRequest(model, AgentPolicyFixture.Task, 9, 48, 1f, 1f, 77)));
        Assert.Contains("has 8 recorded run(s); a group needs 9", tooMany.Message);
    }

    [Fact]
    public async Task A_run_recorded_without_tokens_replays_retokenised_with_only_the_replies_trained()
    {
        var path = Path.Combine(TinyFixtures.TempDir(), "plain.jsonl");
        using (var writer = new JsonlTrajectoryWriter(path))
            await writer.WriteAsync(fixture.Taught);
        var replay = TrajectoryRolloutSource.FromFile(path, fixture.Tokenizer);
        var rollout = (await replay.SampleGroupAsync(new RolloutRequest(fixture.Policy, AgentPolicyFixture.Task, 1, 48, 1f, 1f, 1)))[0];

        var imEnd = fixture.Tokenizer.SpecialTokenId(ChatFormat.ImEnd)!.Value;
        var trained = rollout.TokenIds.Where((_, i) => rollout.PolicyMask[i]).ToList();
        Assert.Equal(2, trained.Count(t => t == imEnd));
        Assert.Equal(AgentPolicyFixture.FirstAction + AgentPolicyFixture.SecondAction, fixture.Tokenizer.Decode(trained.Where(t => t != imEnd)));
        var context = fixture.Tokenizer.Decode(rollout.TokenIds.Where((_, i) => !rollout.PolicyMask[i]));
        Assert.Contains("Observation: 42", context);
        Assert.Equal("42", rollout.FinalAnswer);
        Assert.False(rollout.Truncated);
        Assert.Equal([true, true], rollout.Actions.Select(a => a.Ran));
    }

    private LlamaForCausalLM CopyOfPolicy()
    {
        var copy = new LlamaForCausalLM(fixture.Policy.Config, seed: 0);
        using (no_grad())
            foreach (var (name, value) in fixture.Policy.state_dict())
                copy.state_dict()[name].copy_(value);
        return copy;
    }
}
