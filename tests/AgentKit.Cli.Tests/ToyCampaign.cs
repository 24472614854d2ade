using AgentKit.Fuzzing;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>A campaign folder of the toy command parser with a given corpus (as the engine would have found it, in name order).</summary>
internal static class ToyCampaign
{
    public const string Harness = "AgentKit.Fuzzing.ToyParser.CommandParser.Parse";

    public static string ParserPath => typeof(AgentKit.Fuzzing.ToyParser.CommandParser).Assembly.Location;

    /// <summary>Prepared as <c>agentkit fuzz --target PARSER.dll</c> does, so other commands given the same --target instrument the same copy.</summary>
    public static Task<string> CreateAsync(params string[] corpus) => CreateForAsync(Harness, corpus);

    /// <summary>As <see cref="CreateAsync"/>, for another static harness of the toy parser (<c>FormatException</c> a normal rejection).</summary>
    public static async Task<string> CreateForAsync(string harnessMethod, params string[] corpus)
    {
        var dir = TinyModels.TempPath("toy-campaign");
        var harness = FuzzHarness.Static(harnessMethod, ["System.FormatException"]);
        var target = await FuzzTarget.ResolveAsync(ParserPath, harness, FuzzTarget.DefaultCacheDirectory);
        FuzzCampaign.Prepare(target, harness, dir, FuzzTarget.DefaultCacheDirectory);
        Directory.CreateDirectory(Path.Combine(dir, "corpus"));
        for (var i = 0; i < corpus.Length; i++)
            File.WriteAllText(Path.Combine(dir, "corpus", $"id-{i:D6}"), corpus[i]);
        return dir;
    }
}
