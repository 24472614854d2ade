namespace AgentKit.Fuzzing.ToyParser;

/// <summary>
/// A line-oriented config parser with planted bugs for the fuzzing tests:
/// <list type="bullet">
/// <item>a deep bug: a section header spelled <c>[deep]</c> indexes past the end of an array (found by coverage feedback, one character at a time);</item>
/// <item>a stack overflow: unbounded recursion on nested parentheses;</item>
/// <item>a hang: a line that starts with <c>~~</c> loops forever;</item>
/// <item>a shallow crash: a value starting with <c>!</c> divides by zero.</item>
/// </list>
/// Expected rejections are <see cref="FormatException"/>, which the harness treats as a normal outcome.
/// </summary>
public static class ConfigParser
{
    /// <summary>The fuzz harness: parses <paramref name="text"/> and throws only on planted bugs or <see cref="FormatException"/>.</summary>
    public static int Parse(string text)
    {
        var entries = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line[0] == '[')
                entries += Section(line);
            else if (line[0] == '(')
                entries += Group(line, 0, out _);
            else if (line.Length > 1 && line[0] == '~' && line[1] == '~')
                Spin();
            else
                entries += KeyValue(line);
        }
        return entries;
    }

    /// <summary>Byte harness used by the tests of <c>ReadOnlySpan&lt;byte&gt;</c> harnesses.</summary>
    public static void ParseBytes(ReadOnlySpan<byte> data) => Parse(System.Text.Encoding.UTF8.GetString(data));

    private static int Section(string line)
    {
        var close = line.IndexOf(']');
        if (close < 0)
            throw new FormatException("unterminated section header");
        // Planted deep bug: each character is a separate branch, so coverage guides the fuzzer to it.
        if (close > 4 && line[1] == 'd')
        {
            if (line[2] == 'e')
            {
                if (line[3] == 'e')
                {
                    if (line[4] == 'p')
                    {
                        var slots = new int[4];
                        return slots[close]; // IndexOutOfRangeException
                    }
                }
            }
        }
        return 1;
    }

    // Planted stack overflow: no depth limit.
    private static int Group(string line, int position, out int end)
    {
        var count = 0;
        var i = position + 1;
        while (i < line.Length && line[i] != ')')
        {
            if (line[i] == '(')
            {
                count += Group(line, i, out var inner);
                i = inner;
            }
            else
            {
                count++;
            }
            i++;
        }
        end = i;
        return count;
    }

    // Planted hang.
    private static void Spin()
    {
        var x = 0;
        while (x >= 0)
            x = (x + 1) % 1000;
    }

    private static int KeyValue(string line)
    {
        var equals = line.IndexOf('=');
        if (equals <= 0)
            throw new FormatException("expected key=value");
        var value = line[(equals + 1)..];
        if (value.Length > 0 && value[0] == '!')
            return 100 / (value.Length - value.Length); // planted shallow crash: DivideByZeroException
        return value.Length > 0 && char.IsDigit(value[0]) ? 2 : 1;
    }
}
