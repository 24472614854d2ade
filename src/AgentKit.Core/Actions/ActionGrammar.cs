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

    /// <summary>A GBNF string literal for <paramref name="text"/>.</summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
