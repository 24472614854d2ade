namespace AgentKit.Fuzzing.ToyParser;

/// <summary>
/// A two-stage command parser for the distance-reward tests: a lexer that rejects any character outside
/// <c>[a-z0-9 ]</c> (first stage), then an interpreter with a keyword (<c>unlock</c>) and a checksum-like branch
/// (the code must be ≡ 42 mod 97) that random mutation almost never reaches. The guarded block is the target.
/// </summary>
public static class CommandParser
{
    /// <summary>The harness: lexes then interprets <paramref name="text"/>; throws <see cref="FormatException"/> on lexer errors.</summary>
    public static int Parse(string text) => Interpret(Lex(text));

    private static List<string> Lex(string text)
    {
        foreach (var c in text)
            if (c != ' ' && !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
                throw new FormatException($"unexpected character '{c}'");
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static int Interpret(List<string> tokens)
    {
        if (tokens.Count < 2)
            return 0;
        if (tokens[0] != "unlock")
            return 1;
        if (!int.TryParse(tokens[1], out var code))
            return 2;
        if (code % 97 != 42)
            return 3;
        return Unlock(code);
    }

    private static int Unlock(int code) => code * 2;
}
