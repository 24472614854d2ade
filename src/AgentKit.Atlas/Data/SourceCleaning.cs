using System.Text.RegularExpressions;

namespace AgentKit.Atlas.Data;

/// <summary>The small, explicit cleaning rules applied to source values (each states the source defect it answers).</summary>
internal static partial class SourceCleaning
{
    /// <summary>"Bruxelles [Brussel]", "Rangoon (Yangon)": keep the first spelling only.</summary>
    public static string? CleanCapital(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var cut = value.IndexOfAny(['[', '(']);
        var name = (cut > 0 ? value[..cut] : value).Trim();
        return name.Length == 0 ? null : name;
    }

    /// <summary>Language names such as "Aimar√°" were garbled by a wrong encoding in the source: drop them.</summary>
    public static bool IsCleanLanguage(string value) =>
        !string.IsNullOrWhiteSpace(value) && !value.Any(c => c is '√' or '≠' or '°' or '¬' or '©' or '[' or ']');

    /// <summary>City names with brackets, dots, slashes, commas or backticks are alternative spellings or notes, not names.</summary>
    public static bool IsCleanCity(string value) =>
        !string.IsNullOrWhiteSpace(value) && CleanCityName().IsMatch(value);

    /// <summary>Trimmed text, or null for blank.</summary>
    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^[\p{L}\p{M}][\p{L}\p{M}' \-]*$")]
    private static partial Regex CleanCityName();
}
