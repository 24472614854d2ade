using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Tests;

public sealed class InstrumentationTests
{
    [Fact]
    public void Two_assemblies_instrumented_together_have_distinct_probe_ids_and_a_method_map()
    {
        var second = typeof(AgentKit.Abstractions.Tools.ToolDefinition).Assembly.Location;
        var cache = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "instr-" + Guid.NewGuid().ToString("N")[..8]);
        var target = AssemblyInstrumenter.Instrument([ToyTarget.ParserPath, second], [], cache);

        Assert.False(target.FromCache);
        Assert.Equal(2, target.Assemblies.Count);
        var byAssembly = target.Probes.Probes.GroupBy(p => p.Assembly).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(2, byAssembly.Count); // both assemblies carry probes
        Assert.Equal(target.Probes.Count, target.Probes.Probes.Select(p => p.Id).Distinct().Count());
        Assert.Contains(byAssembly["AgentKit.Fuzzing.ToyParser.dll"], p => p.Method.Contains("ConfigParser::Section", StringComparison.Ordinal));

        // Same content again: served from the cache, same ids.
        var again = AssemblyInstrumenter.Instrument([ToyTarget.ParserPath, second], [], cache);
        Assert.True(again.FromCache);
        Assert.Equal(target.Directory, again.Directory);
        Assert.Equal(target.Probes.Count, again.Probes.Count);
    }

    [Fact]
    public void Colliding_ids_from_separate_instrumentation_are_remapped()
    {
        // Instrument the toy parser twice into two separate folders, then treat both copies as one set:
        // every probe id collides, and the rewriter must give the second copy fresh ids.
        var root = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "collide-" + Guid.NewGuid().ToString("N")[..8]);
        var a = AssemblyInstrumenter.Instrument([ToyTarget.ParserPath], [], Path.Combine(root, "a"));
        var copy = Path.Combine(root, "b.dll");
        File.Copy(Path.Combine(a.Directory, a.Assemblies[0]), copy);
        var first = Path.Combine(root, "a.dll");
        File.Copy(Path.Combine(a.Directory, a.Assemblies[0]), first);

        var (probes, _) = ProbeRewriter.Process([first, copy], new Random(1));

        Assert.Equal(2 * a.Probes.Count, probes.Count);
        Assert.Equal(probes.Count, probes.Select(p => p.Id).Distinct().Count());
        var rescanned = ProbeRewriter.Process([first, copy], new Random(2)).Probes; // ids on disk are now unique: nothing to change
        Assert.Equal(probes.Select(p => p.Id).Order(), rescanned.Select(p => p.Id).Order());
    }
}
