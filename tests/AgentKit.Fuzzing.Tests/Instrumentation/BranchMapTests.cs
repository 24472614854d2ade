using AgentKit.Fuzzing.Guidance;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Tests.Instrumentation;

public sealed class BranchMapTests
{
    private static (InstrumentedTarget Target, BranchMap Map) Toy()
    {
        var target = AssemblyInstrumenter.Instrument([ToyTarget.ParserPath], [], ToyTarget.Cache);
        return (target, BranchMap.For(target));
    }

    private static BranchBlock Entry(BranchMap map, string method) =>
        map.InMethod(method).Single(b => b.BlockIndex == 0);

    [Fact]
    public void Every_probe_maps_to_one_block_of_its_method_with_successors_in_the_same_method()
    {
        var (target, map) = Toy();
        Assert.Equal(0, map.Collisions);
        Assert.Equal(target.Probes.Probes.Select(p => p.Id).Order(), map.Blocks.Select(b => b.ProbeId).Order());
        foreach (var block in map.Blocks)
        {
            var probe = target.Probes.Find(block.ProbeId)!;
            Assert.Equal(probe.Method, block.Method);
            Assert.Equal(probe.IlOffset, block.StartOffset);
            Assert.True(block.EndOffset > block.StartOffset);
            Assert.All(block.Successors, s => Assert.Equal(block.Method, map.Find(s)!.Method));
        }
    }

    [Fact]
    public void Known_branches_of_the_toy_parser_appear_as_successors_and_calls()
    {
        var (target, map) = Toy();

        // Section: "if (close < 0) throw" splits the entry block into the throw block (no successor) and the rest.
        var section = Entry(map, "ConfigParser::Section");
        Assert.Equal(2, section.Successors.Count);
        Assert.Single(section.Successors, s => map.Find(s)!.Successors.Count == 0);
        // The four nested character tests make the deepest block of Section at least 5 branches from its entry.
        var farthest = map.InMethod("ConfigParser::Section").Max(b => new BranchDistance(map, b.ProbeId, 1).From(section.ProbeId)!.Value);
        Assert.True(farthest >= 5, $"farthest block of Section is {farthest} blocks from its entry");

        // Call graph: Parse dispatches to the four line handlers; Group recurses.
        var parseCallees = map.InMethod("ConfigParser::Parse(").SelectMany(b => b.Callees).ToHashSet();
        foreach (var handler in new[] { "Section", "Group", "Spin", "KeyValue" })
            Assert.Contains(Entry(map, "ConfigParser::" + handler).ProbeId, parseCallees);
        var group = Entry(map, "ConfigParser::Group");
        Assert.Contains(group.ProbeId, map.InMethod("ConfigParser::Group").SelectMany(b => b.Callees));
        // Calls into uninstrumented code (string.IndexOf, FormatException..ctor) are not call-graph edges.
        Assert.All(map.Blocks.SelectMany(b => b.Callees), c => Assert.Equal(0, map.Find(c)!.BlockIndex));

        // Saved next to probes.tsv by the instrumenter, and read back the same.
        var loaded = BranchMap.Load(Path.Combine(target.Directory, BranchMap.FileName));
        Assert.Equal(map.Blocks.Count, loaded.Blocks.Count);
        for (var i = 0; i < map.Blocks.Count; i++)
        {
            Assert.Equal(map.Blocks[i] with { Successors = [], Callees = [] }, loaded.Blocks[i] with { Successors = [], Callees = [] });
            Assert.Equal(map.Blocks[i].Successors, loaded.Blocks[i].Successors);
            Assert.Equal(map.Blocks[i].Callees, loaded.Blocks[i].Callees);
        }
    }

    [Fact]
    public void Shared_ids_are_counted_and_marked_ambiguous()
    {
        var a = new BranchBlock(7, "a.dll", "A::M()", 0, 0, 4, [9], []);
        var b = new BranchBlock(7, "b.dll", "B::N()", 0, 0, 4, [], []);
        var c = new BranchBlock(9, "a.dll", "A::M()", 1, 4, 8, [], []);
        var map = new BranchMap([a, b, c]);

        Assert.Equal(1, map.Collisions);
        Assert.True(map.IsAmbiguous(7));
        Assert.False(map.IsAmbiguous(9));
        Assert.Empty(Frontier.Compute(map, new HashSet<int> { 7 })); // an ambiguous hit opens no frontier
        Assert.Single(Frontier.Compute(new BranchMap([a, c]), new HashSet<int> { 7 }));
    }

    [Fact]
    public async Task A_real_library_maps_every_probe_and_its_block_mode_hits_are_probe_ids()
    {
        // Newtonsoft.Json 13.0.3 is in the offline package folder: switches, exception handlers, virtual calls.
        var package = await FuzzTarget.FromNuGetAsync("Newtonsoft.Json", "13.0.3", ToyTarget.Cache);
        var target = AssemblyInstrumenter.Instrument(package.Assemblies, package.Dependencies, ToyTarget.Cache);
        var map = BranchMap.For(target);

        Assert.Equal(0, map.Collisions);
        Assert.Equal(target.Probes.Probes.Select(p => p.Id).Order(), map.Blocks.Select(b => b.ProbeId).Order());
        Assert.Contains(map.Blocks, b => b.Successors.Count > 2); // switch statements
        Assert.Contains(map.Blocks, b => b.Callees.Count > 0);

        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "json-blocks-" + Guid.NewGuid().ToString("N")[..8]);
        using var runner = new Fuzzing.Execution.BlockCoverageRunner(BlockModeTarget.Create(target, FuzzHarness.BuiltIn("json"), dir), TimeSpan.FromSeconds(5), 512);
        var run = runner.Run("{\"a\": [1, 2.5, \"x\", null, true], \"b\": {\"c\": -3e2}}"u8);
        Assert.True(run.Blocks.Count > 100, $"{run.Blocks.Count} blocks");
        Assert.All(run.Blocks, id => Assert.NotNull(map.Find(id)));
        var frontier = Frontier.Compute(map, run.Blocks);
        Assert.NotEmpty(frontier);
    }
}
