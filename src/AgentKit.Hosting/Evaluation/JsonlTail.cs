using System.Text;

namespace AgentKit.Hosting.Evaluation;

/// <summary>
/// Repairs the end of an append-only JSONL file before more lines are appended to it: a writer killed mid-line leaves
/// a last line without its newline. A torn line is cut off (every complete line stays as it is); a last line that is
/// whole but only lacks its newline gets one.
/// </summary>
public static class JsonlTail
{
    /// <summary>Repairs <paramref name="path"/> (a missing or empty file is left alone); returns a warning when a torn line was cut off.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="isWholeLine">Whether an unterminated last line is nevertheless a complete record.</param>
    public static string? Repair(string path, Func<string, bool> isWholeLine)
    {
        ArgumentNullException.ThrowIfNull(isWholeLine);
        if (!File.Exists(path))
            return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length == 0)
            return null;
        var lineStart = LastLineStart(stream);
        if (lineStart == stream.Length)
            return null; // ends with a newline: nothing torn
        var tail = new byte[stream.Length - lineStart];
        stream.Position = lineStart;
        stream.ReadExactly(tail);
        var text = Encoding.UTF8.GetString(tail);
        if (text.Trim().Length > 0 && IsWhole(isWholeLine, text))
        {
            stream.Seek(0, SeekOrigin.End);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
            return null;
        }
        stream.SetLength(lineStart);
        stream.Flush(flushToDisk: true);
        return $"{path}: cut off a torn last line ({tail.Length} bytes) left by a recording that was stopped mid-write; every complete line is kept.";
    }

    /// <summary>The offset just after the last newline (0 when there is none).</summary>
    private static long LastLineStart(FileStream stream)
    {
        var buffer = new byte[4096];
        var end = stream.Length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, count);
            var newline = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (newline >= 0)
                return start + newline + 1;
            end = start;
        }
        return 0;
    }

    private static bool IsWhole(Func<string, bool> isWholeLine, string text)
    {
        try
        {
            return isWholeLine(text.TrimEnd('\r'));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
