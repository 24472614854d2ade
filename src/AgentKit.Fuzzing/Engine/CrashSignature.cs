using System.Text.RegularExpressions;

namespace AgentKit.Fuzzing.Engine;

/// <summary>
/// Deduplication key of a finding: exception type (or death kind) plus the top frames of its stack, with line numbers and
/// IL offsets stripped so the same bug reached by different inputs gets one signature.
/// </summary>
internal static partial class CrashSignature
{
    private const int TopFrames = 3;

    public static string ForException(string type, string stack) => Join(type, Frames(stack));

    /// <summary>For a dead worker: the runtime prints the stack of a stack overflow on stderr; other deaths have only the exit code.</summary>
    public static (string Kind, string Signature) ForDeath(int? exitCode, string stderr)
    {
        var kind = stderr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) ? "stack-overflow"
            : stderr.Contains("OutOfMemory", StringComparison.Ordinal) ? "oom"
            : exitCode is 139 || stderr.Contains("SIGSEGV", StringComparison.Ordinal) || stderr.Contains("AccessViolation", StringComparison.Ordinal) ? "access-violation"
            : "worker-died";
        var frames = Frames(stderr);
        return (kind, Join(kind == "worker-died" ? $"worker-died(exit {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})" : kind, frames));
    }

    public static string KindOf(string exceptionType) => exceptionType switch
    {
        "System.OutOfMemoryException" or "System.InsufficientMemoryException" => "oom",
        "System.InsufficientExecutionStackException" => "stack-overflow",
        _ => "exception",
    };

    private static List<string> Frames(string stack) =>
        FrameRegex().Matches(stack).Select(m => m.Groups["method"].Value)
            .Where(f => !f.StartsWith("AgentKit.Tools.FuzzRunner", StringComparison.Ordinal) && !f.StartsWith("System.Runtime", StringComparison.Ordinal)
                        && !f.StartsWith("System.Threading", StringComparison.Ordinal) && !f.Contains("lambda_method", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Take(TopFrames).ToList();

    private static string Join(string head, List<string> frames) => frames.Count == 0 ? head : head + " @ " + string.Join(" <- ", frames);

    // "   at Namespace.Type.Method(args) in file:line 12" and the stack-overflow form "   at Namespace.Type.Method(args)".
    [GeneratedRegex(@"^\s*at (?<method>[^\s(]+)\(", RegexOptions.Multiline)]
    private static partial Regex FrameRegex();
}
