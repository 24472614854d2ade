// agentkit exec FILE.csx [--timeout-ms 5000] [--memory-mb 512] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Abstractions.Execution;
using AgentKit.Core.Display;
using AgentKit.Sandbox;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit exec</c>: runs one C# snippet file in the sandbox, exactly as an agent's code action runs, and
/// prints what happened. Exit code 0 when the snippet ran (output possibly truncated), 1 for any other outcome
/// (compile error, policy violation, exception, timeout, memory limit, crash), 2 for bad arguments. What the snippet
/// printed is written exactly when stdout is piped or redirected and escaped on a terminal (<see cref="TerminalText"/>);
/// the verdict and error on stderr are always escaped; <c>--json</c> is exact.
/// </summary>
internal static class ExecCommand
{
    /// <summary>The <c>--json</c> document.</summary>
    internal sealed record ExecReport(
        ExecutionStatus Status, string Output, string? ReturnValue, string? Error, int? Line, int? Column, string? FinalAnswer, double ElapsedMs);

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "C# snippet (.csx) to run, as an agent would write it." };
        var timeout = CommonOptions.TimeoutMs();
        var memory = CommonOptions.MemoryMb();
        var json = CommonOptions.Json();
        var command = new Command("exec", "Run a C# snippet in the sandbox (out of process, policy-checked, time- and memory-limited).")
        {
            file, timeout, memory, json,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!File.Exists(path))
                throw new CliUsageException($"snippet file not found: {path}");
            var options = CreateOptions(pr.GetValue(timeout), pr.GetValue(memory));
            var code = await File.ReadAllTextAsync(path, ct);

            await using var sandbox = await CodeSandbox.StartAsync(options, cancellationToken: ct);
            var result = await sandbox.RunAsync(code, ct);

            if (pr.GetValue(json))
                JsonOutput.Write(pr.InvocationConfiguration.Output, ToReport(result));
            else
                await WriteHumanAsync(pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, result, SpectreConsoles.IsTerminal(pr.InvocationConfiguration.Output));
            return result.Succeeded ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }

    /// <summary>A single worker: one snippet does not need a pool, and starting one costs a second of CPU.</summary>
    internal static SandboxOptions CreateOptions(int timeoutMs, int memoryMb) => CliUsageException.CheckWith(
        () => new SandboxOptions { Timeout = TimeSpan.FromMilliseconds(timeoutMs), MemoryLimitMb = memoryMb, PoolSize = 1 },
        ex => $"{(ex.ParamName == nameof(SandboxOptions.Timeout) ? "--timeout-ms" : "--memory-mb")}: {CliUsageException.MessageOf(ex)}");

    internal static ExecReport ToReport(ExecutionResult result) =>
        new(result.Status, result.Output, result.ReturnValue, result.Error, result.Line, result.Column, result.FinalAnswer, Math.Round(result.ElapsedMs, 2));

    /// <summary>What the snippet printed and returned goes to stdout (escaped with <paramref name="escapeOutput"/>); the verdict goes to stderr.</summary>
    internal static async Task WriteHumanAsync(TextWriter stdout, TextWriter stderr, ExecutionResult result, bool escapeOutput)
    {
        string Out(string text) => escapeOutput ? TerminalText.Escape(text) : text;
        await stdout.WriteAsync(Out(result.Output));
        if (result.Output.Length > 0 && !result.Output.EndsWith('\n'))
            await stdout.WriteLineAsync();
        if (result.ReturnValue is not null)
            await stdout.WriteLineAsync($"=> {Out(result.ReturnValue)}");
        if (result.FinalAnswer is not null)
            await stdout.WriteLineAsync($"final answer: {Out(result.FinalAnswer)}");
        var status = JsonOutput.Options.PropertyNamingPolicy!.ConvertName(result.Status.ToString());
        await stderr.WriteLineAsync($"[{status}] {result.ElapsedMs.ToString("F1", CultureInfo.InvariantCulture)} ms");
        if (result.Error is not null)
        {
            var where = result.Line is { } line ? $" (line {line}{(result.Column is { } column ? $", column {column}" : "")})" : "";
            await stderr.WriteLineAsync($"error{where}: {TerminalText.Escape(result.Error)}");
        }
    }
}
