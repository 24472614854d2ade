using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Tests.Guidance;

/// <summary>
/// The toy parser instrumented, its branch map, and block-mode workers for its two harnesses, shared by the tests of
/// a class (one worker start each).
/// </summary>
public sealed class ToyBlockTargets : IDisposable
{
    /// <summary>Instruments the toy parser and starts the workers.</summary>
    public ToyBlockTargets()
    {
        Target = AssemblyInstrumenter.Instrument([ToyTarget.ParserPath], [], ToyTarget.Cache);
        Map = BranchMap.For(Target);
        var root = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "blocks-" + Guid.NewGuid().ToString("N")[..8]);
        Commands = Start(Path.Combine(root, "commands"), "AgentKit.Fuzzing.ToyParser.CommandParser.Parse");
        Config = Start(Path.Combine(root, "config"), "AgentKit.Fuzzing.ToyParser.ConfigParser.Parse");
    }

    public InstrumentedTarget Target { get; }

    public BranchMap Map { get; }

    /// <summary>Worker for <c>CommandParser.Parse</c> (lexer, then keyword and checksum).</summary>
    public BlockCoverageRunner Commands { get; }

    /// <summary>Worker for <c>ConfigParser.Parse</c> (planted crashes).</summary>
    public BlockCoverageRunner Config { get; }

    public BranchBlock Entry(string method) => Map.InMethod(method).Single(b => b.BlockIndex == 0);

    /// <summary>The question about the branch into Unlock (a checksum test) after the corpus "x", "open 5", "unlock abc", "unlock 5" (seed "unlock 5").</summary>
    public FrontierQuestion ChecksumQuestion()
    {
        string[] corpus = ["x", "open 5", "unlock abc", "unlock 5"];
        var covered = corpus.Select(System.Text.Encoding.UTF8.GetBytes).Select(input => (input, (IReadOnlySet<int>)Commands.Run(input).Blocks)).ToList();
        var unlock = Entry("CommandParser::Unlock").ProbeId;
        var target = Map.InMethod("CommandParser::Interpret").Single(b => b.Callees.Contains(unlock)).ProbeId;
        return FrontierQuestions.Build(Map, new CodeSlicer(Target.Directory), covered, new FrontierQuestionOptions { Max = 100 })
            .Single(q => q.TargetId == target);
    }

    private BlockCoverageRunner Start(string directory, string harness)
    {
        var manifest = BlockModeTarget.Create(Target, FuzzHarness.Static(harness, ["System.FormatException"]), directory);
        return new BlockCoverageRunner(manifest, TimeSpan.FromSeconds(5), 256);
    }

    public void Dispose()
    {
        Commands.Dispose();
        Config.Dispose();
    }
}
