using System.Globalization;

namespace AgentKit.Sandbox.Scripting;

/// <summary>
/// Cuts text that leaves a snippet (errors, values, answers) to a limit with a visible marker, so a 20-million
/// character exception message costs the host no more than the cap.
/// </summary>
internal static class TextCap
{
    /// <summary>The marker's start; what follows says how long the text was.</summary>
    public const string Marker = "… [truncated: ";

    /// <summary>Returns <paramref name="text"/>, or its first <paramref name="maxChars"/> characters and the marker.</summary>
    public static string Cut(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxChars) return text;
        var keep = Math.Max(0, maxChars);
        // Never split a surrogate pair: half a character is not valid UTF-16.
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return text[..keep] + Marker + text.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters in all]";
    }
}
