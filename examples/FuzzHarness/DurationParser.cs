namespace FuzzHarnessExample;

/// <summary>
/// The app's own parser, the thing being fuzzed: durations such as <c>90s</c>, <c>1h30m</c> or <c>2d12h</c>.
/// Bad input is rejected with <see cref="FormatException"/>; anything else it throws is a bug.
/// </summary>
public static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>: numbers, each followed by a unit (d, h, m, s).</summary>
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        var total = TimeSpan.Zero;
        long number = 0;
        var digits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                number = number * 10 + (c - '0');
                digits++;
                continue;
            }
            if (digits == 0)
                // The bug the fuzzer finds: quoting the character before the unit fails when the unit comes first.
                throw new FormatException($"unit '{c}' after '{text[i - 1]}' needs a number before it");
            // A second bug the fuzzer found, fixed: a number too large for a TimeSpan threw OverflowException.
            if (digits > 9)
                throw new FormatException($"'{text}' has a number of more than 9 digits");
            try
            {
                total += c switch
                {
                    'd' => TimeSpan.FromDays(number),
                    'h' => TimeSpan.FromHours(number),
                    'm' => TimeSpan.FromMinutes(number),
                    's' => TimeSpan.FromSeconds(number),
                    _ => throw new FormatException($"unknown unit '{c}' (use d, h, m or s)"),
                };
            }
            catch (OverflowException)
            {
                throw new FormatException($"'{text}' is longer than the longest duration ({TimeSpan.MaxValue.TotalDays:F0} days)");
            }
            number = 0;
            digits = 0;
        }
        if (digits > 0)
            throw new FormatException($"'{text}' ends with a number without a unit");
        return total;
    }
}
