using System.Globalization;

namespace AgentKit.Sandbox.Worker;

/// <summary>Limits the host passes on the command line.</summary>
/// <param name="MaxOutputChars">Characters of console output kept per snippet.</param>
/// <param name="RegexTimeoutMs">Default match timeout of every <c>Regex</c> the snippets create.</param>
/// <param name="MemoryLimitMb">The heap limit the host set (for error messages only; the runtime enforces it).</param>
/// <param name="MaxToolArgumentChars">JSON characters of arguments one tool call may carry (the host checks again).</param>
internal sealed record WorkerSettings(int MaxOutputChars, int RegexTimeoutMs, int MemoryLimitMb, int MaxToolArgumentChars)
{
    /// <summary>Parses <c>--max-output-chars N --regex-timeout-ms N --memory-limit-mb N --max-tool-argument-chars N</c>.</summary>
    public static WorkerSettings Parse(string[] args)
    {
        int Read(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : fallback;
        }
        return new WorkerSettings(Read("--max-output-chars", 20_000), Read("--regex-timeout-ms", 1_000), Read("--memory-limit-mb", 512),
            Read("--max-tool-argument-chars", 100_000));
    }
}
