// Run:  dotnet run --project examples/FuzzHarness
//       dotnet run --project examples/FuzzHarness -- --seconds 60 --out fuzz-campaign
//
// Fuzzes the app's own parser (DurationParser, in this project) with AgentKit.Fuzzing's library API: the assembly
// holding it is instrumented, a static method is the harness, FormatException is the parser's documented rejection,
// and a short coverage-guided campaign runs in worker processes. Prints executions, edges and the crashes found
// (stopping at the first one); each crash's input is saved in the campaign folder.
using System.Globalization;
using AgentKit.Fuzzing;
using FuzzHarnessExample;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var seconds = double.Parse(Option("--seconds") ?? "30", CultureInfo.InvariantCulture);
var campaign = Path.GetFullPath(Option("--out") ?? Path.Combine(Path.GetTempPath(), "agentkit-fuzz-example-" + Guid.NewGuid().ToString("N")[..8]));

// A few valid inputs to start from.
var seeds = Path.Combine(campaign + "-seeds");
Directory.CreateDirectory(seeds);
foreach (var (name, text) in new[] { ("minutes", "90s"), ("mixed", "1h30m"), ("days", "2d12h") })
    File.WriteAllText(Path.Combine(seeds, name), text);

// The parser needs nothing beyond the runtime, so the target is its assembly alone.
var target = new FuzzTarget([typeof(DurationParser).Assembly.Location], [], "DurationParser");
var harness = FuzzHarness.Static($"{typeof(DurationParser).FullName}.{nameof(DurationParser.Parse)}", [typeof(FormatException).FullName!], tokens: ["d", "h", "m", "s"]);
var instrumented = FuzzCampaign.Prepare(target, harness, campaign, FuzzTarget.DefaultCacheDirectory);
var report = await FuzzCampaign.RunAsync(instrumented, harness, new FuzzCampaignOptions
{
    OutputDirectory = campaign,
    SeedDirectory = seeds,
    Duration = TimeSpan.FromSeconds(seconds),
    Workers = 1,
    MaxInputBytes = 64,
    StopAfterCrashes = 1,
});

Console.WriteLine($"executions: {report.Execs} ({report.ExecsPerSecond:F0}/s), edges: {report.Edges}, corpus: {report.Corpus}, crashes: {report.Crashes.Count}, hangs: {report.Hangs}, {report.Seconds:F1} s");
foreach (var crash in report.Crashes)
    Console.WriteLine($"crash: {crash.Signature}\n  input: {crash.File}");
Console.WriteLine($"campaign: {campaign}");
return 0;
