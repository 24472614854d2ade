using AgentKit.Fuzzing.Shared;
using SharpFuzz;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>The same harness under afl-fuzz, through SharpFuzz's own AFL fork-server emulation.</summary>
internal static class AflHarness
{
    public static int Run(TargetManifest manifest)
    {
        // SharpFuzz maps afl's shared memory itself; the harness only loads types here, no instrumented code runs yet.
        var harness = HarnessFactory.Create(manifest);
        Console.SetOut(TextWriter.Null);
        Fuzzer.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            try
            {
                harness.Run(memory.ToArray());
            }
            catch (Exception ex) when (harness.IsExpected(ex))
            {
                // documented rejection: not a crash for afl either
            }
        });
        return 0;
    }
}
