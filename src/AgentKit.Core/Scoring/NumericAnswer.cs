using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentKit.Core.Scoring;

/// <summary>
/// Reads an answer that is a number and nothing else: optional sign and currency symbol, digits with
/// optional thousands commas ("1,234") and decimals, an optional scale word (thousand, million, billion,
/// trillion; "3.5 million" = 3,500,000) and an optional percent sign (kept as the number: "45%" = 45).
/// Text around the number ("about 5 apples") makes it not a numeric answer.
/// </summary>
public static partial class NumericAnswer
{
    /// <summary>Returns the value when <paramref name="text"/> is a numeric answer.</summary>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var match = Pattern().Match(text.Trim().TrimEnd('.'));
        if (!match.Success)
            return false;
        var digits = match.Groups["num"].Value;
        // Commas must group thousands ("1,234,567"), so "1,23" is not read as 123.
        if (digits.Contains(',') && !ThousandsGrouping().IsMatch(digits))
            return false;
        if (!double.TryParse(digits.Replace(",", ""), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
            return false;
        value *= match.Groups["scale"].Value.ToLowerInvariant() switch
        {
            "thousand" => 1e3,
            "million" => 1e6,
            "billion" => 1e9,
            "trillion" => 1e12,
            _ => 1,
        };
        if (match.Groups["sign"].Value == "-")
            value = -value;
        return true;
    }

    [GeneratedRegex(@"^(?<sign>[-+])?\s*[$€£¥]?\s*(?<num>\d[\d,]*(\.\d+)?|\.\d+)\s*(?<scale>thousand|million|billion|trillion)?\s*%?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex ThousandsGrouping();
}
