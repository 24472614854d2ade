using System.Globalization;
using System.Text;
using AgentKit.Abstractions.Execution;

namespace AgentKit.Core.Running;

/// <summary>Turns an execution result into the text the model reads next, cut to a character limit.</summary>
public static class ObservationFormatter
{
    /// <summary>The observation for a snippet that ran: what it printed, its last value, and any error.</summary>
    public static string Format(ExecutionResult result, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var output = result.Output.TrimEnd();
        if (output.Length > 0)
            sb.Append(output);
        if (result.ReturnValue is { Length: > 0 } value && result.FinalAnswer is null)
            AppendLine(sb, $"Last value: {value}");
        if (result.Status == ExecutionStatus.OutputTruncated)
            AppendLine(sb, "(output cut: the code printed too much)");
        if (!result.Succeeded)
            AppendLine(sb, FormatError(result));
        if (result.FinalAnswer is not null)
            AppendLine(sb, $"Final answer: {result.FinalAnswer}");
        if (sb.Length == 0)
            sb.Append("(no output; print values with Console.WriteLine to see them)");
        return Truncate(sb.ToString(), maxChars);
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxChars"/>, keeping the head and saying how much was dropped.</summary>
    public static string Truncate(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxChars)
            return text;
        var note = string.Create(CultureInfo.InvariantCulture, $"\n… ({text.Length - maxChars} more characters cut)");
        var keep = Math.Max(0, maxChars - note.Length);
        return text[..keep] + note;
    }

    private static string FormatError(ExecutionResult result)
    {
        var kind = result.Status switch
        {
            ExecutionStatus.CompileError => "compile error",
            ExecutionStatus.PolicyViolation => "not allowed",
            ExecutionStatus.RuntimeError => "exception",
            ExecutionStatus.Timeout => "timeout",
            ExecutionStatus.MemoryLimit => "memory limit",
            ExecutionStatus.Crashed => "crash",
            _ => "error",
        };
        var where = result.Line is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line}{(result.Column is { } col ? $", column {col}" : "")}")
            : "";
        return $"Error ({kind}{where}): {result.Error ?? "no details"}";
    }

    private static void AppendLine(StringBuilder sb, string line)
    {
        if (sb.Length > 0)
            sb.Append('\n');
        sb.Append(line);
    }
}
