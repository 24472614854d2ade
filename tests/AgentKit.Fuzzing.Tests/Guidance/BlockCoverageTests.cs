using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class BlockCoverageTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_block_mode_worker_reports_exactly_the_probe_blocks_an_input_ran()
    {
        var run = toy.Config.Run(Text("[x]"));

        Assert.False(run.Finding);
        Assert.All(run.Blocks, id => Assert.NotNull(toy.Map.Find(id))); // every cell is a probe id: no edge hashes
        Assert.Contains(toy.Entry("ConfigParser::Parse(").ProbeId, run.Blocks);
        Assert.Contains(toy.Entry("ConfigParser::Section").ProbeId, run.Blocks);
        Assert.DoesNotContain(toy.Entry("ConfigParser::KeyValue").ProbeId, run.Blocks);
        // Every executed block other than a method entry is a CFG successor of another executed block.
        foreach (var id in run.Blocks.Where(id => toy.Map.Find(id)!.BlockIndex > 0))
            Assert.Contains(run.Blocks, other => toy.Map.Find(other)!.Successors.Contains(id));
    }

    [Fact]
    public void The_frontier_is_the_covered_blocks_with_an_uncovered_successor_and_moves_when_the_corpus_grows()
    {
        var unlock = toy.Entry("CommandParser::Unlock").ProbeId;
        var callsUnlock = toy.Map.Blocks.Single(b => b.Callees.Contains(unlock));
        var corpus = new List<byte[]> { Text("open 5"), Text("unlock 5") };

        var covered = toy.Commands.Cover(corpus);
        var frontier = Frontier.Compute(toy.Map, covered);

        Assert.All(frontier, f => Assert.Contains(f.From.ProbeId, covered));
        Assert.All(frontier, f => Assert.DoesNotContain(f.Target.ProbeId, covered));
        Assert.Contains(frontier, f => f.Target == callsUnlock); // the checksum branch
        Assert.DoesNotContain(frontier, f => f.From.Method.Contains("ConfigParser", StringComparison.Ordinal)); // never ran

        corpus.Add(Text("unlock 139")); // 139 % 97 == 42
        var after = Frontier.Compute(toy.Map, toy.Commands.Cover(corpus));
        Assert.DoesNotContain(after, f => f.Target == callsUnlock);
    }
}
