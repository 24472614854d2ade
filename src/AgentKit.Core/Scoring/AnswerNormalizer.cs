using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentKit.Core.Scoring;

/// <summary>
/// Normalises answers before comparison (the SQuAD / HotpotQA convention): lower case, accents removed,
/// punctuation and symbols replaced by spaces, the articles "a", "an", "the" dropped, whitespace collapsed.
/// "The Eiffel Tower!" and "eiffel   tower" both become "eiffel tower".
/// </summary>
public static partial class AnswerNormalizer
{
    /// <summary>Normalises <paramref name="text"/> as described on the class.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "";
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
                continue; // accents: "é" → "e"
            sb.Append(char.IsPunctuation(c) || char.IsSymbol(c) ? ' ' : c);
        }
        var words = Whitespace().Split(sb.ToString()).Where(w => w.Length > 0 && w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
