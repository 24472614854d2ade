using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests.Grpo;

/// <summary>
/// A verifiable toy task for a tiny random-init model: whatever the prompt, emit tokens from a rewarded band of ids. The
/// reward is the share of the completion's slots (of <see cref="Length"/>) holding a rewarded token, so an untrained
/// model scores about the band's share of the vocabulary (10%) and stopping early earns nothing.
/// </summary>
internal static class ToyTask
{
    public const int Length = 6;
    public const int BandStart = 300;
    public const int BandEnd = 340;

    public static ByteLevelBpeTokenizer Tokenizer => TinyFixtures.Tokenizer;

    public static IReadOnlyList<TrajectoryTask> Tasks { get; } =
        [.. Enumerable.Range(0, 8).Select(i => new TrajectoryTask($"toy-{i}", $"Say the pattern, number {i}."))];

    public static LlamaForCausalLM NewModel(long seed = 7) =>
        new(TinyFixtures.Config(vocab: Tokenizer.VocabSize) with { MaxPositionEmbeddings = 64 }, seed);

    public static DelegateReward Reward { get; } = new("band", rollout =>
    {
        var generated = rollout.TokenIds.Where((_, i) => rollout.PolicyMask[i]).ToList();
        var hits = generated.Count(t => t is >= BandStart and < BandEnd);
        return new RewardResult((double)hits / Length, $"{hits}/{Length} in band");
    });

    /// <summary>Mean reward of 16 completions of each task at temperature 1 with a fixed seed, without training.</summary>
    public static async Task<double> MeanRewardAsync(LlamaForCausalLM model)
    {
        var source = new PolicyRolloutSource(Tokenizer);
        var total = 0.0;
        var count = 0;
        foreach (var (task, i) in Tasks.Select((t, i) => (t, i)))
        {
            var group = await source.SampleGroupAsync(new RolloutRequest(model, task, 16, Length, 1.0f, 1.0f, 1000 + i));
            total += group.Sum(r => Reward.Score(r).Value);
            count += group.Count;
        }
        return total / count;
    }
}
