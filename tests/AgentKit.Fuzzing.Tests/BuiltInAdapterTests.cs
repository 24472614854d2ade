using System.Text;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Tests;

[Collection("campaigns")]
public sealed class BuiltInAdapterTests
{
    // Versions the package feed serves (Markdig 0.31.0 is the old release the measurements use).
    private static readonly (string Id, string Version)[] Packages =
    [
        ("Markdig", "0.31.0"), ("YamlDotNet", "16.3.0"), ("Jint", "4.18.0"), ("AngleSharp", "1.10.3"),
        ("Newtonsoft.Json", "13.0.3"), ("NCalcSync", "7.4.0"), ("GraphQL-Parser", "9.5.1"), ("Fluid.Core", "2.41.1"),
    ];

    // Per adapter: inputs that must run clean, and inputs the library rejects with its documented parse exception
    // (null where the format has no invalid input: every string is Markdown, HTML5 parsing never rejects).
    private static readonly Dictionary<string, (string[] Valid, string[]? Invalid)> Inputs = new()
    {
        ["markdown"] = (["# Title\n\nSome *emphasis* and a [link](http://a).\n\n- item\n"], null),
        ["yaml"] = (["key: value\nlist:\n  - 1\n  - two\n"], ["key: [unclosed", "a: b: c"]),
        ["javascript"] = (["function f(x) { return x * 2; } f(21);"], ["function (", "let = ;"]),
        ["html"] = (["<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table></body></html>", "<<a<b>></ &#x;"], null),
        ["json"] = (["{\"a\": [1, 2.5, true, null, \"s\"]}"], ["{\"a\": ", "[1,,]"]),
        ["expression"] = (["2 * (3 + 4) > 10 && true"], ["1 +", "((2"]),
        ["graphql"] = (["query Q($id: ID!) { user(id: $id) { name ...F } } fragment F on User { id }"], ["query {", "{ a(b: ) }"]),
        ["liquid"] = (["{% if x %}{{ x | upcase }}{% endif %}{% for i in (1..3) %}{{ i }}{% endfor %}"], ["{% if %}", "{{ x | }}"]),
    };

    [Fact]
    public async Task Every_built_in_adapter_runs_its_real_package_through_the_runner()
    {
        Assert.Equal(FuzzHarness.BuiltInNames.Order(), Inputs.Keys.Order()); // a new adapter needs inputs here
        // One restore of all packages, shared by the cases; instrumentation is cached by content hash.
        var assets = await FuzzTarget.RestoreAsync(Path.Combine(ToyTarget.Cache, "packages", "adapter-tests-v1"), Packages, CancellationToken.None);
        var problems = new List<string>();
        foreach (var name in FuzzHarness.BuiltInNames)
        {
            var harness = FuzzHarness.BuiltIn(name);
            var version = Packages.Single(p => p.Id == harness.PackageId).Version;
            var target = FuzzTarget.FromAssets(assets, harness.PackageId!, version, harness.AlsoInstrument);
            var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", $"adapter-{name}-" + Guid.NewGuid().ToString("N")[..8]);
            FuzzCampaign.Prepare(target, harness, dir, ToyTarget.Cache);
            using var worker = new WorkerProcess(new WorkerLaunch(FuzzCampaign.DefaultRunnerPath, Path.Combine(dir, "target.json"), 512, TimeSpan.FromSeconds(60)), TimeProvider.System);
            var (valid, invalid) = Inputs[name];
            foreach (var input in valid.Concat(invalid ?? []))
            {
                var result = worker.Execute(Encoding.UTF8.GetBytes(input), TimeSpan.FromSeconds(10));
                if (result.Kind != ExecKind.Ok)
                    problems.Add($"{name}: {input.ReplaceLineEndings(" ")} → {result.Kind} {result.ExceptionType}: {result.Message} {result.Stderr}");
                else if (valid.Contains(input) && result.Hits.Length < 10)
                    problems.Add($"{name}: {input} reached only {result.Hits.Length} map cells: the instrumented package did not run");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
