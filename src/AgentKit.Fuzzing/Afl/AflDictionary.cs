using System.Text;

namespace AgentKit.Fuzzing.Afl;

/// <summary>
/// Writes dictionary tokens in afl's <c>-x</c> format (<c>name="value"</c>, bytes outside printable ASCII as <c>\xNN</c>),
/// so afl gets the same harness tokens and target literals as the builtin engine.
/// </summary>
internal static class AflDictionary
{
    private const int MaxTokenBytes = 128; // afl rejects longer dictionary entries

    /// <summary>Writes the tokens to <paramref name="path"/>; returns how many were written (0: no file).</summary>
    public static int Write(string path, IEnumerable<byte[]> tokens)
    {
        var lines = tokens.Where(t => t.Length is > 0 and <= MaxTokenBytes).Select((t, i) => $"t{i}=\"{Escape(t)}\"").ToList();
        if (lines.Count == 0)
            return 0;
        File.WriteAllLines(path, lines);
        return lines.Count;
    }

    internal static string Escape(byte[] token)
    {
        var text = new StringBuilder(token.Length);
        foreach (var b in token)
        {
            if (b is >= 0x20 and < 0x7f && b != (byte)'"' && b != (byte)'\\')
                text.Append((char)b);
            else
                text.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
