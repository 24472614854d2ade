using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class DistanceRewardTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private DistanceReward UnlockReward(DistanceRewardOptions? options = null) =>
        new(toy.Map, toy.Entry("CommandParser::Unlock").ProbeId, options, FirstStageGate.AtMethodEntry(toy.Map, "CommandParser::Interpret"));

    [Fact]
    public void A_near_miss_ranks_above_a_far_miss()
    {
        var reward = UnlockReward();
        var none = new HashSet<int>();

        var near = reward.Score(toy.Commands.Run(Text("unlock 5")), none);  // keyword right, checksum wrong
        var far = reward.Score(toy.Commands.Run(Text("open 5")), none);     // keyword wrong

        Assert.False(near.TargetHit);
        Assert.True(near.Distance < far.Distance, $"near {near.Distance}, far {far.Distance}");
        Assert.True(near.Value > far.Value, $"near {near.Value}, far {far.Value}");
    }

    [Fact]
    public void The_reward_grows_monotonically_along_the_path_to_the_checksum_branch()
    {
        var reward = UnlockReward();
        string[] path = ["x", "open 5", "unlock abc", "unlock 5", "unlock 139"];
        var runs = path.Select(p => toy.Commands.Run(Text(p))).ToList();
        // The campaign has covered everything these inputs reach: no coverage bonus, distance alone decides.
        var covered = runs.SelectMany(r => r.Blocks).ToHashSet();

        var scores = runs.Select(r => reward.Score(r, covered)).ToList();

        for (var i = 1; i < scores.Count; i++)
            Assert.True(scores[i].Value > scores[i - 1].Value,
                $"'{path[i]}' scored {scores[i].Value} ({scores[i].Reason}), not above '{path[i - 1]}' at {scores[i - 1].Value} ({scores[i - 1].Reason})");
        Assert.Equal(1.0, scores[^1].Value);
        Assert.True(scores[^1].TargetHit);
        Assert.All(scores.Take(scores.Count - 1), s => Assert.True(s.Value < 0.95));
        var d = scores[^2].Distance!.Value; // "unlock 5": one branch and one call from the target
        Assert.Equal(0.8 / (1 + d), scores[^2].Value, 12);
    }

    [Fact]
    public void Inputs_the_lexer_rejects_score_zero_and_new_coverage_earns_the_bonus()
    {
        var reward = UnlockReward();
        var rejected = toy.Commands.Run(Text("UNLOCK 139"));
        var accepted = toy.Commands.Run(Text("unlock 5"));

        var zero = reward.Score(rejected, new HashSet<int>());
        Assert.Equal(0.0, zero.Value);
        Assert.Equal("rejected at the first stage", zero.Reason);
        Assert.False(zero.Finding); // FormatException is the documented rejection

        var known = reward.Score(accepted, accepted.Blocks.ToHashSet());
        var fresh = reward.Score(accepted, new HashSet<int>());
        Assert.Equal(0, known.NewBlocks);
        Assert.True(fresh.NewBlocks > 0);
        Assert.Equal(known.Value + 0.1, fresh.Value, 12);
    }

    [Fact]
    public void A_crash_is_a_finding_and_scores_by_where_it_got()
    {
        // ConfigParser's "[deep]" header indexes past an array: the block with the bad index is the target.
        var deep = toy.Config.Run(Text("[deep]"));
        var shallow = toy.Config.Run(Text("[deeX]"));
        var target = deep.Blocks.Except(shallow.Blocks).Single();
        var reward = new DistanceReward(toy.Map, target);

        var hit = reward.Score(deep, new HashSet<int>());
        var miss = reward.Score(toy.Config.Run(Text("k=!")), new HashSet<int>()); // divides by zero elsewhere

        Assert.True(hit.TargetHit);
        Assert.True(hit.Finding);
        Assert.Equal(1.0, hit.Value);
        Assert.StartsWith("crash (System.IndexOutOfRangeException)", hit.Reason, StringComparison.Ordinal);
        Assert.True(miss.Finding);
        Assert.False(miss.TargetHit);
        Assert.Contains("recorded as a finding", miss.Reason, StringComparison.Ordinal);
        Assert.True(miss.Value < reward.Score(shallow, deep.Blocks.ToHashSet()).Value + 0.1);
    }

    [Fact]
    public void A_hang_is_a_finding_whose_coverage_is_lost()
    {
        var reward = new DistanceReward(toy.Map, toy.Entry("ConfigParser::KeyValue").ProbeId);
        var hang = toy.Config.Run(Encoding.UTF8.GetBytes("~~"));

        var score = reward.Score(hang, new HashSet<int>());

        Assert.Equal("hang", hang.Kind);
        Assert.True(score.Finding);
        Assert.Equal(0.0, score.Value);
        Assert.StartsWith("hang (ran past 5000 ms): recorded as a finding", score.Reason, StringComparison.Ordinal);
        Assert.False(toy.Config.Run(Encoding.UTF8.GetBytes("k=1")).Finding); // a fresh worker took over
    }

    [Theory]
    [InlineData(0.0, 2, 0.1, 0.95)]
    [InlineData(0.8, 0, 0.1, 0.95)]
    [InlineData(0.8, 2, -0.1, 0.95)]
    [InlineData(0.8, 2, 0.1, 1.0)]
    public void Out_of_range_constants_are_refused(double proximity, int call, double bonus, double cap) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => UnlockReward(new DistanceRewardOptions
        {
            ProximityWeight = proximity, CallWeight = call, NewCoverageBonus = bonus, MissCap = cap,
        }));
}
