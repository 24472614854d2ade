using System.Globalization;
using System.Text;

namespace AgentKit.Core.Display;

/// <summary>
/// Makes untrusted text — model output, observations, answers, tool output, task text — safe to print on a
/// terminal. A model (or a corpus, or a task file) can emit bytes a terminal obeys: ESC starts sequences that
/// move the cursor, recolour or clear the screen, retitle the window or (on some terminals) write files; NUL
/// and other C0/C1 controls do their own damage; bidi overrides (Trojan Source) make text read differently
/// from what it is. Every place the CLI shows such text to a person passes it through <see cref="Escape"/>.
/// </summary>
/// <remarks>
/// The choice: each such character becomes a visible C-style escape — <c>\x1b</c> for ESC, <c>\x00</c> for NUL,
/// <c>\x9b</c> for a C1 control, <c>\u202e</c> for a bidi control — rather than a control picture such as
/// <c>␛</c>: it is plain ASCII (any font, any terminal, copy-pasteable) and reads like the JSON and Python escapes
/// people already know. Newlines and tabs are kept; a Windows line end (<c>\r\n</c>) becomes <c>\n</c>; a lone
/// <c>\r</c> (which would let text overwrite the line it is on) is escaped. Backslashes are not doubled, so a
/// literal <c>\x1b</c> typed by the model looks the same as an escaped ESC: this is display text only. The exact
/// text stays in <c>--json</c> output (JSON escapes every control character) and in trajectory files.
/// </remarks>
public static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with every control character except <c>\n</c> and <c>\t</c>, and every bidi control,
    /// written as a visible escape. Returns the same instance when there is nothing to escape; null becomes "".
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var first = IndexOfUnsafe(text);
        if (first < 0)
            return text;
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                continue; // "\r\n" is a line end: the "\n" that follows is kept
            if (!IsUnsafe(c))
                builder.Append(c);
            else if (c <= 0xFF)
                builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>True when <paramref name="text"/> holds nothing <see cref="Escape"/> would change.</summary>
    public static bool IsSafe(string? text) => text is null || IndexOfUnsafe(text) < 0;

    /// <summary>True for the characters <see cref="Escape"/> rewrites (a <c>\r</c> here, even one before <c>\n</c>).</summary>
    public static bool IsUnsafe(char c) => c switch
    {
        '\n' or '\t' => false,
        < ' ' => true,                              // C0 controls: NUL, BEL, BS, CR, ESC, …
        >= '\x7f' and <= '\x9f' => true,            // DEL and the C1 controls (0x9b is a one-byte CSI)
        '\u061c' or '\u200e' or '\u200f' => true,   // Arabic letter mark, LRM, RLM
        >= '\u202a' and <= '\u202e' => true,        // LRE, RLE, PDF, LRO, RLO
        >= '\u2066' and <= '\u2069' => true,        // LRI, RLI, FSI, PDI
        _ => false,
    };

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
            if (IsUnsafe(text[i]))
                return i;
        return -1;
    }
}
