using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>
/// Decides whether two final answers of a math problem (MATH, GSM-Hard, AIME, OlymMATH) are the same. Both sides are
/// first brought to a canonical form (<see cref="Normalize"/>): the content of a <c>\boxed{…}</c>; no <c>$</c> or <c>\$</c>,
/// <c>\left</c>, <c>\right</c>, <c>\!</c>, <c>\,</c>, <c>\;</c>, <c>\:</c>, <c>\quad</c>, <c>\displaystyle</c>; no degree
/// sign (<c>^\circ</c>, <c>^{\circ}</c>, °) or percent sign; <c>\dfrac</c>/<c>\tfrac</c> read as <c>\frac</c> and
/// <c>\frac12</c> as <c>\frac{1}{2}</c>; <c>\text{…}</c> (and <c>\textnormal</c>, <c>\mbox</c>, <c>\mathrm</c>…) units dropped (a whole answer in <c>\text{…}</c> keeps its
/// text); no whitespace; thousands separators removed (<c>1,000</c>, <c>1{,}000</c>); a leading <c>x=</c> dropped; a
/// final period dropped; lower case. Then they are equivalent when
/// <list type="bullet">
/// <item>the canonical strings are equal, or</item>
/// <item>both evaluate to numbers (decimals, <c>\frac{a}{b}</c>, <c>a/b</c>, <c>\sqrt{n}</c>, signs, nested) that agree
/// within a relative tolerance (default <see cref="DefaultRelativeTolerance"/> = 1e-4 of the larger magnitude, or 1e-9
/// absolute near zero): 1/2 = <c>\frac{1}{2}</c> = 0.5, 13138980.0 = 13,138,980, or</item>
/// <item>both are tuples or intervals with the same brackets (<c>(…)</c>, <c>[…]</c>, <c>\{…\}</c>, mixed for half-open
/// intervals) and the same number of elements, equivalent element by element (matrices <c>\begin{pmatrix}…\end{pmatrix}</c>
/// likewise, entries read row by row); unions (<c>\cup</c>) part by part; or
/// both are bare comma-separated lists of the same length whose elements pair up in any order ("1, -2" = "-2, 1").</item>
/// </list>
/// Anything else (algebraic rewriting, such as <c>2(x+1)</c> against <c>2x+2</c>) is not equivalent: this is a string and
/// number check, not a computer algebra system.
/// </summary>
public static partial class MathEquivalence
{
    /// <summary>The default relative tolerance for numeric answers: 1e-4.</summary>
    public const double DefaultRelativeTolerance = 1e-4;

    private const double AbsoluteToleranceNearZero = 1e-9;

    /// <summary>Whether <paramref name="prediction"/> is equivalent to <paramref name="gold"/> by the rules on the class.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is negative, NaN or not below 1.</exception>
    public static bool AreEquivalent(string? prediction, string gold, double relativeTolerance = DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(gold);
        if (relativeTolerance is < 0 or >= 1 || double.IsNaN(relativeTolerance))
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, "The relative tolerance must be in [0, 1).");
        if (string.IsNullOrWhiteSpace(prediction))
            return false;
        var p = Normalize(prediction);
        var g = Normalize(gold);
        return p.Length > 0 && Same(p, g, relativeTolerance);
    }

    /// <summary>The canonical form of <paramref name="answer"/> described on the class.</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var s = answer.Contains(@"\boxed") || answer.Contains(@"\fbox") ? MathAnswerExtractor.LastBoxed(answer) ?? answer : answer;
        s = s.Trim().Replace(@"\$", "").Replace("$", "");
        s = Spacing().Replace(s, "");
        s = Degrees().Replace(s, "");
        s = s.Replace(@"\%", "").Replace("%", "");
        s = s.Replace(@"\dfrac", @"\frac").Replace(@"\tfrac", @"\frac");
        var whole = WholeText().Match(s.Trim());
        s = whole.Success ? whole.Groups["body"].Value : TextGroup().Replace(s, "");
        s = Whitespace().Replace(s, "");
        s = ShortFrac().Replace(s, @"\frac{$1}{$2}");
        s = ShortSqrt().Replace(s, @"\sqrt{$1}");
        s = s.Replace("{,}", ",");
        if (Thousands().IsMatch(s))
            s = s.Replace(",", "");
        if (s.EndsWith('.'))
            s = s[..^1];
        var assignment = Assignment().Match(s);
        if (assignment.Success && !assignment.Groups["rest"].Value.Contains('='))
            s = assignment.Groups["rest"].Value;
        return s.ToLowerInvariant();
    }

    /// <summary>The value of a canonical answer that is a number (see the class), when it is one.</summary>
    public static bool TryEvaluate(string canonical, out double value)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        value = Evaluate(canonical);
        return !double.IsNaN(value);
    }

    private static bool Same(string p, string g, double tolerance)
    {
        if (p == g)
            return true;
        if (TryEvaluate(p, out var pv) && TryEvaluate(g, out var gv))
            return Close(pv, gv, tolerance);
        var gUnion = SplitTopLevel(g, @"\cup");
        if (gUnion.Count > 1)
        {
            var pUnion = SplitTopLevel(p, @"\cup");
            return pUnion.Count == gUnion.Count && pUnion.Zip(gUnion).All(x => Same(x.First, x.Second, tolerance));
        }
        if (Bracketed(g) is { } gb)
        {
            if (Bracketed(p) is not { } pb || pb.Open != gb.Open || pb.Close != gb.Close)
                return false;
            var ge = SplitTopLevel(gb.Body, ",");
            var pe = SplitTopLevel(pb.Body, ",");
            return ge.Count == pe.Count && pe.Zip(ge).All(x => Same(x.First, x.Second, tolerance));
        }
        var gItems = SplitTopLevel(g, ",");
        var pItems = SplitTopLevel(p, ",");
        if (gItems.Count > 1 && pItems.Count == gItems.Count)
        {
            var left = pItems.ToList();
            foreach (var item in gItems)
            {
                var match = left.FindIndex(x => Same(x, item, tolerance));
                if (match < 0)
                    return false;
                left.RemoveAt(match);
            }
            return true;
        }
        return false;
    }

    private static bool Close(double a, double b, double tolerance) =>
        Math.Abs(a - b) <= Math.Max(tolerance * Math.Max(Math.Abs(a), Math.Abs(b)), AbsoluteToleranceNearZero);

    private sealed record Brackets(string Open, string Close, string Body);

    private static Brackets? Bracketed(string s)
    {
        var matrix = Matrix().Match(s);
        if (matrix.Success && Balanced(matrix.Groups["body"].Value))
            return new Brackets(matrix.Groups["env"].Value, matrix.Groups["env"].Value, matrix.Groups["body"].Value.Replace(@"\\", ",").Replace("&", ","));
        foreach (var (open, closes) in new[] { (@"\{", new[] { @"\}" }), ("(", new[] { ")", "]" }), ("[", new[] { "]", ")" }) })
        {
            if (!s.StartsWith(open, StringComparison.Ordinal))
                continue;
            foreach (var close in closes)
            {
                if (s.Length >= open.Length + close.Length && s.EndsWith(close, StringComparison.Ordinal))
                {
                    var body = s[open.Length..^close.Length];
                    if (Balanced(body))
                        return new Brackets(open, close, body);
                }
            }
        }
        return null;
    }

    private static bool Balanced(string s)
    {
        var depth = 0;
        foreach (var c in s)
        {
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth < 0)
                return false;
        }
        return depth == 0;
    }

    /// <summary>Splits at <paramref name="separator"/> where no bracket is open.</summary>
    private static List<string> SplitTopLevel(string s, string separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
                depth--;
            else if (depth == 0 && string.CompareOrdinal(s, i, separator, 0, separator.Length) == 0)
            {
                parts.Add(s[start..i]);
                start = i + separator.Length;
                i = start - 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    // NaN when the text is not a number expression.
    private static double Evaluate(string s)
    {
        if (s.Length == 0)
            return double.NaN;
        if (s[0] == '-')
            return -Evaluate(s[1..]);
        if (s[0] == '+')
            return Evaluate(s[1..]);
        if (PlainNumber().IsMatch(s))
            return double.Parse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (s[0] == '{' && GroupEnd(s, 0) == s.Length - 1)
            return Evaluate(s[1..^1]);
        if (s.StartsWith(@"\frac{", StringComparison.Ordinal))
        {
            var numeratorEnd = GroupEnd(s, 5);
            if (numeratorEnd > 0 && numeratorEnd + 1 < s.Length && s[numeratorEnd + 1] == '{' && GroupEnd(s, numeratorEnd + 1) == s.Length - 1)
                return Evaluate(s[6..numeratorEnd]) / Evaluate(s[(numeratorEnd + 2)..^1]);
        }
        if (s.StartsWith(@"\sqrt{", StringComparison.Ordinal) && GroupEnd(s, 5) == s.Length - 1)
            return Math.Sqrt(Evaluate(s[6..^1]));
        var slash = s.IndexOf('/');
        if (slash > 0 && slash == s.LastIndexOf('/') && !s.Contains('{'))
            return Evaluate(s[..slash]) / Evaluate(s[(slash + 1)..]);
        return double.NaN;
    }

    // Index of the '}' closing the '{' at open, or -1.
    private static int GroupEnd(string s, int open)
    {
        if (open >= s.Length || s[open] != '{')
            return -1;
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '{')
                depth++;
            else if (s[i] == '}' && --depth == 0)
                return i;
        }
        return -1;
    }

    [GeneratedRegex(@"^\\begin\{(?<env>[pbv]?matrix)\}(?<body>.*)\\end\{\k<env>\}$")]
    private static partial Regex Matrix();

    [GeneratedRegex(@"\\left(?![a-zA-Z])|\\right(?![a-zA-Z])|(?<!\\)\\[!,;: ]|\\quad|\\qquad|\\displaystyle")]
    private static partial Regex Spacing();

    [GeneratedRegex(@"\^\s*\{?\s*\\circ\s*\}?|°|\\degree")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"^\\(?:text|textnormal|textrm|textit|mbox|textbf|mathrm)\s*\{(?<body>[^{}]*)\}$")]
    private static partial Regex WholeText();

    [GeneratedRegex(@"\\(?:text|textnormal|textrm|textit|mbox|textbf|mathrm)\s*\{[^{}]*\}")]
    private static partial Regex TextGroup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\\frac(\d)(\d)")]
    private static partial Regex ShortFrac();

    [GeneratedRegex(@"\\sqrt(\d+)")]
    private static partial Regex ShortSqrt();

    [GeneratedRegex(@"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex Thousands();

    [GeneratedRegex(@"^[a-zA-Z]=(?<rest>.+)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex PlainNumber();
}
