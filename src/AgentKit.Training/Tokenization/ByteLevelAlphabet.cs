namespace AgentKit.Training.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-unicode map: printable bytes map to themselves, the rest to U+0100 and up, so
/// every byte string is a printable token string. llama.cpp applies the same map to <c>gpt2</c> vocabularies.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildMap();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, (byte)b)).ToDictionary(p => p.c, p => p.Item2);

    /// <summary>The printable character standing for <paramref name="value"/>.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>Maps bytes to their token-string form.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Maps a token string back to bytes; false when it contains a character outside the alphabet.</summary>
    public static bool TryDecode(string token, List<byte> output)
    {
        foreach (var c in token)
        {
            if (!CharToByte.TryGetValue(c, out var b))
                return false;
            output.Add(b);
        }
        return true;
    }

    private static char[] BuildMap()
    {
        var map = new char[256];
        var printable = new bool[256];
        for (var b = '!'; b <= '~'; b++) printable[b] = true;
        for (var b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (var b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        var next = 256;
        for (var b = 0; b < 256; b++)
            map[b] = printable[b] ? (char)b : (char)next++;
        return map;
    }
}
