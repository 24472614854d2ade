using System.Diagnostics;

namespace AgentKit.Packaging.Tests;

/// <summary>The result of one dotnet CLI call: exit code, both streams and how long it took.</summary>
internal sealed record DotnetRun(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Transcript => $"exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>Runs the dotnet CLI the tests run on (the SDK that built them), with a time limit.</summary>
internal static class DotnetCli
{
    public static async Task<DotnetRun> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The child builds on its own; a build server left behind would outlive the test run.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} ran past {timeout.TotalSeconds:0} s.");
        }
        return new DotnetRun(process.ExitCode, await output, await error, watch.Elapsed);
    }

    /// <summary>The dotnet muxer: DOTNET_HOST_PATH when the test host sets it, else the one on PATH.</summary>
    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
