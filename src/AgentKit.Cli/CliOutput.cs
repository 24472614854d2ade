using System.CommandLine;
using Spectre.Console;

namespace AgentKit.Cli;

/// <summary>The last lines of most verbs: the report as one JSON document under <c>--json</c>, else rendered for people.</summary>
internal static class CliOutput
{
    /// <summary>Writes <paramref name="report"/> as JSON when <paramref name="asJson"/>, else <paramref name="render"/>s it on stdout.</summary>
    public static void Write<T>(ParseResult pr, bool asJson, T report, Action<IAnsiConsole> render)
    {
        if (asJson)
            JsonOutput.Write(pr.InvocationConfiguration.Output, report);
        else
            render(SpectreConsoles.For(pr.InvocationConfiguration.Output));
    }

    /// <summary>Writes <paramref name="report"/> as JSON when <paramref name="asJson"/>, else <paramref name="line"/> as plain text on stdout.</summary>
    public static void Write<T>(ParseResult pr, bool asJson, T report, Func<T, string> line)
    {
        if (asJson)
            JsonOutput.Write(pr.InvocationConfiguration.Output, report);
        else
            pr.InvocationConfiguration.Output.WriteLine(line(report));
    }

    /// <summary>A byte count for people: B, KiB, MiB (one decimal) or GiB (two).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:F1} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):F1} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):F2} GiB",
    };
}
