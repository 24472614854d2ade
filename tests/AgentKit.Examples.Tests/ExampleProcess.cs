using System.Diagnostics;

namespace AgentKit.Examples.Tests;

/// <summary>What an example printed and how it exited.</summary>
public sealed record ExampleRun(int ExitCode, string Output, string Error, double Seconds);

/// <summary>
/// Runs a built example (<c>examples/NAME/bin/&lt;configuration&gt;/&lt;tfm&gt;/NAME.dll</c>, the same configuration as
/// these tests) with <c>dotnet</c>, from the repository root, as a user's <c>dotnet run</c> would.
/// </summary>
internal static class ExampleProcess
{
    /// <summary>The repository root (the folder holding AgentKit.sln above the test output).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Runs example <paramref name="name"/> with <paramref name="arguments"/>; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ExampleRun> RunAsync(string name, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var dll = ExamplePath(name);
        Assert.True(File.Exists(dll), $"example not built: {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{name} did not finish within {timeout.TotalSeconds} s; output so far:\n{await output}\n{await error}");
        }
        return new ExampleRun(process.ExitCode, await output, await error, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The example's entry assembly, built in the configuration and target framework of this test assembly.</summary>
    public static string ExamplePath(string name)
    {
        // The test output is tests/AgentKit.Examples.Tests/bin/<configuration>/<tfm>/: the example's is the same below its own bin.
        var testBin = Path.Combine(RepoRoot, "tests", "AgentKit.Examples.Tests", "bin");
        var configurationAndTfm = Path.GetRelativePath(testBin, AppContext.BaseDirectory);
        return Path.GetFullPath(Path.Combine(RepoRoot, "examples", name, "bin", configurationAndTfm, name + ".dll"));
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root (AgentKit.sln) not found above the test output.");
    }
}
