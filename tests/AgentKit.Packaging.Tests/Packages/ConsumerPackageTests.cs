using Xunit.Abstractions;

namespace AgentKit.Packaging.Tests.Packages;

/// <summary>
/// The packages as a consumer gets them: Abstractions, Core, Sandbox and Fuzzing packed into a local folder feed,
/// restored into a fresh project outside the repository, built and run. Proves the sandbox worker and scripting
/// assembly travel inside AgentKit.Sandbox and the fuzz runner inside AgentKit.Fuzzing (a consumer can start both
/// kinds of worker) and that nothing needs the repository.
/// Slow by nature (a Release build of five projects, a restore, a build, a run): about a minute on 2 cores.
/// </summary>
public sealed class ConsumerPackageTests(ITestOutputHelper output)
{
    private static readonly string[] Packed =
    [
        "src/AgentKit.Abstractions/AgentKit.Abstractions.csproj",
        "src/AgentKit.Core/AgentKit.Core.csproj",
        "sandbox/AgentKit.Sandbox/AgentKit.Sandbox.csproj",
        "src/AgentKit.Fuzzing/AgentKit.Fuzzing.csproj",
    ];

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_fresh_project_restores_the_packs_from_a_folder_feed_and_runs_an_agent()
    {
        // Not Directory.CreateTempSubdirectory: its 0700 mode would hide the output from a confined worker's uid.
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"agentkit-consumer-{Guid.NewGuid():N}")).FullName;
        try
        {
            // A version no other source has, so the consumer can only get AgentKit from this feed.
            var version = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}";
            var feed = Path.Combine(work, "feed");
            foreach (var project in Packed)
            {
                var pack = await Dotnet(RepoPaths.Root, "pack", RepoPaths.Project(project), "-c", "Release", "-o", feed,
                    "--artifacts-path", Path.Combine(work, "artifacts"), $"-p:Version={version}");
                Assert.True(pack.ExitCode == 0, pack.Transcript);
            }
            AssertPackageLayout(Path.Combine(feed, $"AgentKit.Sandbox.{version}.nupkg"));
            AssertFuzzingLayout(Path.Combine(feed, $"AgentKit.Fuzzing.{version}.nupkg"));
            Assert.True(File.Exists(Path.Combine(feed, $"AgentKit.Core.{version}.snupkg")), "no symbols package for AgentKit.Core");

            var app = Path.Combine(work, "app");
            ConsumerProject.Write(app, feed, version, PackagesCache());
            var restore = await Dotnet(app, "restore");
            Assert.True(restore.ExitCode == 0, restore.Transcript);
            var build = await Dotnet(app, "build", "--no-restore", "-c", "Release");
            Assert.True(build.ExitCode == 0, build.Transcript);
            var run = await Dotnet(app, Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"));
            output.WriteLine($"consumer restore {restore.Elapsed.TotalSeconds:0.0} s, build {build.Elapsed.TotalSeconds:0.0} s, run {run.Elapsed.TotalSeconds:0.0} s");

            Assert.True(run.ExitCode == 0, run.Transcript);
            Assert.Contains("snippet: Ok 1,2,3", run.Output);
            Assert.Contains("answer: 42", run.Output);
            Assert.Matches(@"fuzz: [1-9]\d* executions, \d+ edges, runner fuzz-runner/AgentKit.Tools.FuzzRunner.dll", run.Output);
            Assert.True(Directory.Exists(Path.Combine(app, "packages", "agentkit.sandbox", version)), "AgentKit.Sandbox was not restored from the feed");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertPackageLayout(string nupkg)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/AgentKit.Sandbox.dll", entries);
        Assert.Contains("lib/net10.0/AgentKit.Sandbox.Scripting.dll", entries);
        Assert.Contains("sandbox-worker/AgentKit.Sandbox.Worker.dll", entries);
        Assert.Contains("sandbox-worker/AgentKit.Sandbox.Worker.runtimeconfig.json", entries);
        Assert.Contains("buildTransitive/AgentKit.Sandbox.targets", entries);
    }

    private static void AssertFuzzingLayout(string nupkg)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/AgentKit.Fuzzing.dll", entries);
        Assert.Contains("fuzz-runner/AgentKit.Tools.FuzzRunner.dll", entries);
        Assert.Contains("fuzz-runner/AgentKit.Tools.FuzzRunner.runtimeconfig.json", entries);
        Assert.Contains("buildTransitive/AgentKit.Fuzzing.targets", entries);
    }

    private async Task<DotnetRun> Dotnet(string folder, params string[] arguments)
    {
        var run = await DotnetCli.RunAsync(folder, arguments, TimeSpan.FromMinutes(5));
        output.WriteLine($"dotnet {arguments[0]} {Path.GetFileName(arguments.ElementAtOrDefault(1) ?? "")}: exit {run.ExitCode}, {run.Elapsed.TotalSeconds:0.0} s");
        return run;
    }

    /// <summary>The machine's NuGet package cache, read-only here: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    private static string PackagesCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
