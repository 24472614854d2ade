using System.Text.RegularExpressions;

namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>
/// Takes the final answer out of a worked solution, trying in order:
/// <list type="number">
/// <item>the content of the <b>last</b> <c>\boxed{…}</c> (or <c>\fbox{…}</c>), braces matched so nested groups such as
/// <c>\boxed{\frac{1}{2}}</c> stay whole; <c>\boxed 5</c> (no braces) takes the next token;</item>
/// <item>the rest of the line after the last "final answer", "answer:" or "answer is" (case-insensitive), without
/// surrounding <c>$</c>, <c>**</c> and a final period;</item>
/// <item>the whole text when it reads as one expression rather than prose: one line, and no three letters in a row
/// outside LaTeX commands (<c>\begin{pmatrix}</c> included) and <c>\text{…}</c> (so "x = 5", "-(ab + ac)" and <c>\frac{\pi}{2}</c>
/// qualify, "5 apples" does not);</item>
/// <item>the last number in the text (optional minus sign, thousands commas, decimals): the weakest fallback,
/// which reads "so she has 12 apples" as 12.</item>
/// </list>
/// Returns null when none applies (empty text, or prose without a number).
/// </summary>
public static partial class MathAnswerExtractor
{
    /// <summary>The answer of <paramref name="text"/> by the rules on the class, or null.</summary>
    public static ExtractedAnswer? Extract(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (FindMarked(text) is { } marked)
            return marked;
        var whole = Clean(text);
        if (whole.Length > 0 && LooksLikeExpression(whole))
            return new ExtractedAnswer(whole, AnswerSource.WholeText);
        var numbers = Number().Matches(text);
        return numbers.Count == 0 ? null : new ExtractedAnswer(numbers[^1].Value, AnswerSource.LastNumber);
    }

    /// <summary>
    /// Only the explicit forms (boxed, then answer markers), or null: what a chain-of-thought reply that was told how to
    /// state its answer is held to, factual or mathematical.
    /// </summary>
    public static ExtractedAnswer? FindMarked(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (LastBoxed(text) is { } boxed)
            return new ExtractedAnswer(boxed, AnswerSource.Boxed);
        var markers = Marker().Matches(text);
        if (markers.Count > 0)
        {
            var last = markers[^1];
            var rest = text[(last.Index + last.Length)..];
            var line = rest.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var cleaned = Clean(line ?? "");
            if (cleaned.Length > 0)
                return new ExtractedAnswer(cleaned, AnswerSource.Marker);
        }
        return null;
    }

    /// <summary>The content of the last <c>\boxed{…}</c> or <c>\fbox{…}</c> in <paramref name="text"/>, braces matched; null when there is none (or it is unclosed).</summary>
    public static string? LastBoxed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = Math.Max(text.LastIndexOf(@"\boxed", StringComparison.Ordinal), text.LastIndexOf(@"\fbox", StringComparison.Ordinal));
        if (start < 0)
            return null;
        var i = start + (text.AsSpan(start).StartsWith(@"\boxed") ? @"\boxed".Length : @"\fbox".Length);
        while (i < text.Length && text[i] == ' ')
            i++;
        if (i >= text.Length)
            return null;
        if (text[i] != '{')
        {
            // "\boxed 5": the next token.
            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '$')
                end++;
            var token = text[i..end].Trim();
            return token.Length == 0 ? null : token;
        }
        var depth = 0;
        for (var j = i; j < text.Length; j++)
        {
            if (text[j] == '{')
                depth++;
            else if (text[j] == '}' && --depth == 0)
            {
                var content = text[(i + 1)..j].Trim();
                return content.Length == 0 ? null : content;
            }
        }
        return null;
    }

    private static string Clean(string text)
    {
        var s = text.Trim(' ', '\t', '\r', '\n', '*');
        if (s.EndsWith('.'))
            s = s[..^1].TrimEnd();
        if (s.Length >= 2 && s.StartsWith('$') && s.EndsWith('$'))
            s = s.Trim('$').Trim();
        if (s.StartsWith(@"\(") && s.EndsWith(@"\)"))
            s = s[2..^2].Trim();
        return s;
    }

    private static bool LooksLikeExpression(string text) =>
        !text.Contains('\n') && !LetterRun().IsMatch(Command().Replace(TextGroup().Replace(text, " "), " "));

    [GeneratedRegex(@"final\s+answer\s*(?:is)?\s*[:：]?|\banswer\s*(?:is\s*[:：]?|[:：])", RegexOptions.IgnoreCase)]
    private static partial Regex Marker();

    [GeneratedRegex(@"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\\(?:text|textnormal|textrm|textit|mbox|textbf|mathrm)\s*\{[^{}]*\}")]
    private static partial Regex TextGroup();

    [GeneratedRegex(@"\\(?:begin|end)\s*\{[a-zA-Z*]+\}|\\[a-zA-Z]+")]
    private static partial Regex Command();

    [GeneratedRegex(@"[a-zA-Z]{3,}")]
    private static partial Regex LetterRun();
}
