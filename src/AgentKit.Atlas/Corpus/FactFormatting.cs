using System.Globalization;

namespace AgentKit.Atlas.Corpus;

/// <summary>How numbers and lists are written in passages and gold answers (invariant culture, no thousands separators, so code can parse them back).</summary>
public static class FactFormatting
{
    /// <summary>"31989256".</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"1285216" for whole numbers, "0.4" otherwise (at most 2 decimals).</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"1821", or "660 BC" for a negative year.</summary>
    public static string Year(int year) => year < 0 ? $"{Integer(-year)} BC" : Integer(year);

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
