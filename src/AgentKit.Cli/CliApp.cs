using System.CommandLine;
using AgentKit.Cli.Commands;
using AgentKit.Core.Display;


namespace AgentKit.Cli;

/// <summary>Builds the root command from every verb and runs it with uniform error handling.</summary>
public static class CliApp
{
    /// <summary>Exit code for a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the work itself failed (bad model file, unreachable endpoint, …).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for bad command-line arguments.</summary>
    public const int UsageError = 2;

    /// <summary>Creates the root command with all verbs registered.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("AgentKit: run, record and train small tool-using agents.");
        // One line per verb; each verb lives in Commands/<Verb>Command.cs.
        // (verbs register here)
        root.Subcommands.Add(FuzzCommand.Create());
        root.Subcommands.Add(ExecCommand.Create());
        root.Subcommands.Add(AtlasCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RecordCommand.Create());
        root.Subcommands.Add(TrajectoriesCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(DistillCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await stderr.WriteLineAsync($"error: {TerminalText.Escape(error.Message)}");
            await stderr.WriteLineAsync($"Run '{string.Join(' ', CommandPath(parse))} --help' for usage.");
            return UsageError;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            // The default handler would print a stack trace and exit 1; the catches below map exceptions to exit codes.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cts.Token);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"error: {TerminalText.Escape(ex.Message)}");
            return UsageError;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or Models.ModelLoadException
                                       or NotSupportedException or ArgumentException or HttpRequestException
                                       or UnauthorizedAccessException or TimeoutException or FormatException)
        {
            // Messages can quote model output, endpoint replies or file content.
            await stderr.WriteLineAsync($"error: {TerminalText.Escape(ex.Message)}");
            return Failure;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "agentkit" : result.Command.Name);
        return names;
    }
}
