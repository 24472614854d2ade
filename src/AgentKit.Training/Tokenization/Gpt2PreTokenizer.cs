using System.Globalization;
using System.Text;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// Splits text into words with GPT-2's pattern
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>, walking code points
/// (not UTF-16 units) so letters outside the BMP count as letters, as in llama.cpp's <c>gpt-2</c> pre-tokenizer.
/// </summary>
public static class Gpt2PreTokenizer
{
    /// <summary>The words of <paramref name="text"/>, in order; concatenated they give the text back.</summary>
    public static IEnumerable<string> Split(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var pos = 0;
        var start = 0;
        while (pos < runes.Length)
        {
            var cpt = runes[pos].Value;
            if (cpt == '\'' && pos + 1 < runes.Length)
            {
                var next = runes[pos + 1].Value;
                if (next is 's' or 't' or 'm' or 'd')
                {
                    pos += 2;
                    yield return Take(runes, ref start, pos);
                    continue;
                }
                if (pos + 2 < runes.Length)
                {
                    var after = runes[pos + 2].Value;
                    if ((next == 'r' && after == 'e') || (next == 'v' && after == 'e') || (next == 'l' && after == 'l'))
                    {
                        pos += 3;
                        yield return Take(runes, ref start, pos);
                        continue;
                    }
                }
            }

            var kind = cpt == ' ' ? KindAt(runes, pos + 1) : KindAt(runes, pos);
            if (kind is CharKind.Letter or CharKind.Number or CharKind.Other)
            {
                if (cpt == ' ') pos++;
                while (KindAt(runes, pos) == kind) pos++;
                yield return Take(runes, ref start, pos);
                continue;
            }

            var spaces = 0;
            while (KindAt(runes, pos + spaces) == CharKind.Whitespace) spaces++;
            if (spaces > 1 && pos + spaces < runes.Length)
            {
                // \s+(?!\S): leave the last space to prefix the next word.
                pos += spaces - 1;
                yield return Take(runes, ref start, pos);
                continue;
            }
            if (spaces > 0)
            {
                pos += spaces;
                yield return Take(runes, ref start, pos);
                continue;
            }
            pos++; // an unassigned code point stands alone
            yield return Take(runes, ref start, pos);
        }
    }

    private enum CharKind { End, Whitespace, Letter, Number, Other, Unassigned }

    private static CharKind KindAt(Rune[] runes, int pos)
    {
        if (pos >= runes.Length)
            return CharKind.End;
        var rune = runes[pos];
        if (IsWhitespace(rune.Value))
            return CharKind.Whitespace;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharKind.Number,
            UnicodeCategory.OtherNotAssigned => CharKind.Unassigned,
            _ => CharKind.Other,
        };
    }

    // Unicode White_Space property (what llama.cpp's tables flag as whitespace).
    private static bool IsWhitespace(int c) =>
        c is >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    private static string Take(Rune[] runes, ref int start, int end)
    {
        var builder = new StringBuilder();
        for (var i = start; i < end; i++)
            builder.Append(runes[i].ToString());
        start = end;
        return builder.ToString();
    }
}
