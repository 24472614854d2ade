using System.Globalization;
using System.Text;

namespace AgentKit.Atlas.Data;

/// <summary>Turns names into ids: "Côte d'Ivoire" → "cote-d-ivoire" (lower-case ASCII letters and digits, other runs as '-').</summary>
public static class NameSlug
{
    /// <summary>The slug of <paramref name="name"/>; names without any Latin letter get a stable hash instead.</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder();
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
                continue;
            if (char.IsAsciiLetterOrDigit(ch))
                sb.Append(char.ToLowerInvariant(ch));
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length > 0 ? slug : "x" + StableHash.Of(name).ToString("x8", CultureInfo.InvariantCulture);
    }
}
