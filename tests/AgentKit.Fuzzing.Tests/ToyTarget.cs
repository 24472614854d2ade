using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Tests;

/// <summary>The toy parser instrumented once per test run (cached by content hash under a temp cache).</summary>
internal static class ToyTarget
{
    public static readonly string Cache = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests-cache");

    public static string ParserPath => typeof(AgentKit.Fuzzing.ToyParser.ConfigParser).Assembly.Location;

    public static FuzzHarness Harness => FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.ConfigParser.Parse", ["System.FormatException"]);

    public static (InstrumentedTarget Target, string Dir) Prepare(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var target = FuzzCampaign.Prepare(new FuzzTarget([ParserPath], [], "toy"), Harness, dir, Cache);
        return (target, dir);
    }

    /// <summary>
    /// A finished-looking campaign folder of the command parser whose corpus holds <paramref name="corpus"/> in that order
    /// (names sort as written); another <paramref name="cache"/> is another instrumented target.
    /// </summary>
    public static string CommandCampaign(string cache, params string[] corpus)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "commands-" + Guid.NewGuid().ToString("N")[..8]);
        FuzzCampaign.Prepare(new FuzzTarget([ParserPath], [], "toy"),
            FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.CommandParser.Parse", ["System.FormatException"]), dir, cache);
        Directory.CreateDirectory(Path.Combine(dir, "corpus"));
        for (var i = 0; i < corpus.Length; i++)
            File.WriteAllText(Path.Combine(dir, "corpus", $"id-{i:D6}"), corpus[i]);
        return dir;
    }

    public static FuzzCampaignOptions Options(string dir, double seconds, string? seeds = null) => new()
    {
        OutputDirectory = dir,
        Duration = TimeSpan.FromSeconds(seconds),
        Workers = 2,
        ExecTimeout = TimeSpan.FromMilliseconds(250),
        MemoryLimitMb = 256,
        Seed = 42,
        SeedDirectory = seeds,
        MaxInputBytes = 256,
    };
}
