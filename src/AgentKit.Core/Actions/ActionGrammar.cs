using System.Globalization;
using System.Text;

namespace AgentKit.Core.Actions;

/// <summary>
/// GBNF (llama.cpp grammar) that forces an action into <c>Thought: &lt;one line&gt;\n```csharp\n&lt;code&gt;\n```</c>.
/// Lengths are bounded so even a model that never "wants" to stop (a random one) finishes the action within
/// a known number of characters; the code may not contain a backtick, so it cannot end the fence early.
/// </summary>
public static class ActionGrammar
{
    /// <summary>
    /// Builds the grammar. A <paramref name="forcedThoughtPrefix"/> (first-thought prefix) becomes a literal
    /// right after "Thought: ", so the model must write it and then continues the thought: this forces the
    /// prefix with any grammar-capable backend, whatever its chat template does.
    /// </summary>
    public static string Build(int maxThoughtChars, int maxCodeChars, string? forcedThoughtPrefix = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThoughtChars, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCodeChars, 1);
        var inv = CultureInfo.InvariantCulture;
        var root = string.IsNullOrEmpty(forcedThoughtPrefix)
            ? "root ::= \"Thought: \" thoughtchar{1," + maxThoughtChars.ToString(inv) + "} fence-open code fence-close"
            : "root ::= \"Thought: \" " + Literal(forcedThoughtPrefix) + " thoughtchar{0," + maxThoughtChars.ToString(inv) + "} fence-open code fence-close";
        return string.Join('\n',
            root,
            "thoughtchar ::= [^\\n`]",
            "fence-open ::= \"\\n```csharp\\n\"",
            "code ::= [^`\\n] [^`]{0," + (maxCodeChars - 1).ToString(inv) + "}",
            "fence-close ::= \"\\n```\"",
            "");
    }

    /// <summary>
    /// A GBNF string literal for <paramref name="text"/>, written in printable ASCII only: everything else as a
    /// <c>\xHH</c>, <c>\uHHHH</c> or <c>\UHHHHHHHH</c> escape, since a raw NUL ends llama.cpp's grammar text early and a
    /// lone surrogate has no UTF-8 form (it becomes U+FFFD).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> holds a NUL: no token can produce one, and llama.cpp
    /// aborts the whole process on a NUL in a grammar, escaped or not.</exception>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0'))
            throw new ArgumentException("A grammar literal cannot hold a NUL character (no token produces one, and llama.cpp aborts on it).", nameof(text));
        var sb = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case >= ' ' and <= '~': sb.Append(c); break;
                case < ' ' or '\x7f': sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append("\\U").Append(char.ConvertToUtf32(c, text[++i]).ToString("X8", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        var unit = char.IsSurrogate(c) ? '\uFFFD' : c;
                        sb.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
