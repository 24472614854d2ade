namespace AgentKit.Fuzzing.ToyParser;

/// <summary>Branches in a second type, so the instrumentation tests have more than one method to map.</summary>
public static class Checksum
{
    /// <summary>Sums the letters and digits of <paramref name="text"/>.</summary>
    public static int Compute(string text)
    {
        var sum = 0;
        foreach (var c in text)
            sum += char.IsLetter(c) ? c : char.IsDigit(c) ? c - '0' : 0;
        return sum;
    }
}
