namespace AgentKit.Fuzzing.Tests;

[Collection("campaigns")]
public sealed class NuGetTargetTests
{
    [Fact]
    public async Task Newtonsoft_json_restores_instruments_and_runs_with_the_builtin_adapter()
    {
        // 13.0.3 is in the offline package folder, so this restore needs no network.
        var target = await FuzzTarget.FromNuGetAsync("Newtonsoft.Json", "13.0.3", ToyTarget.Cache);
        Assert.Contains(target.Assemblies, a => Path.GetFileName(a) == "Newtonsoft.Json.dll");

        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "json-" + Guid.NewGuid().ToString("N")[..8]);
        var harness = FuzzHarness.BuiltIn("json");
        var instrumented = FuzzCampaign.Prepare(target, harness, dir, ToyTarget.Cache);
        Assert.True(instrumented.Probes.Count > 1000, $"{instrumented.Probes.Count} probes");
        Assert.Contains(instrumented.Literals, l => l.Length > 1); // auto-extracted dictionary

        var report = await FuzzCampaign.RunAsync(instrumented, harness, ToyTarget.Options(dir, 4) with { Workers = 1 });

        Assert.True(report.Execs > 100, $"{report.Execs} execs");
        Assert.True(report.Edges > 200, $"{report.Edges} edges"); // malformed JSON is a documented JsonException, so it covers reader paths
        Assert.True(report.Corpus > 5);
        Assert.DoesNotContain(report.Crashes, c => c.Signature.Contains("JsonReaderException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_package_gives_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            FuzzTarget.FromNuGetAsync("AgentKit.NoSuchPackage.ForTests", "0.0.1", Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "nopkg-" + Guid.NewGuid().ToString("N")[..8])));
        Assert.Contains("could not restore AgentKit.NoSuchPackage.ForTests@0.0.1", error.Message, StringComparison.Ordinal);
    }
}
