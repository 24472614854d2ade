using System.Text.RegularExpressions;

namespace AgentKit.Core.Actions;

/// <summary>
/// Reads <c>Thought: …</c> + one fenced code block from model text, tolerating what small models get
/// wrong: a missing "Thought:" label, a fence tagged <c>cs</c>, <c>c#</c>, <c>C#</c> or untagged, text
/// after the closing fence (ignored), a closing fence cut off by the token limit (the code runs to the
/// end of the text). Real failures become an error message the model can react to, never an exception.
/// </summary>
public static class ActionParser
{
    /// <summary>Observation for text without any code block.</summary>
    public const string NoCodeBlockError =
        "Error: no code block found. Answer with Thought: … then a ```csharp block.";

    private const string Fence = "```";

    private static readonly Regex s_lineEnd = new("\r+\n", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> s_csharpTags = new(StringComparer.OrdinalIgnoreCase) { "", "csharp", "cs", "c#", "c-sharp" };

    /// <summary>Parses <paramref name="text"/>; never throws.</summary>
    public static ParsedAction Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return ParsedAction.Failure("Error: the reply was empty. Answer with Thought: … then a ```csharp block.");
        // Every run of '\r' before '\n' goes, not just one: Replace("\r\n", "\n") turns "\r\r\n" into a new "\r\n",
        // and the canonical text of such an action would then parse to a different thought.
        if (text.Contains('\r'))
            text = s_lineEnd.Replace(text, "\n");

        var open = text.IndexOf(Fence, StringComparison.Ordinal);
        if (open < 0)
            return ParsedAction.Failure(NoCodeBlockError);

        var tagEnd = text.IndexOf('\n', open + Fence.Length);
        if (tagEnd < 0)
            return ParsedAction.Failure("Error: the code block is empty. Put C# statements between ```csharp and ```.");
        var tag = text[(open + Fence.Length)..tagEnd].Trim();
        if (!s_csharpTags.Contains(tag))
            return ParsedAction.Failure($"Error: the code block is tagged '{tag}', but only C# runs here. Use a ```csharp block.");

        var bodyStart = tagEnd + 1;
        var close = text.IndexOf(Fence, bodyStart, StringComparison.Ordinal);
        var code = (close < 0 ? text[bodyStart..] : text[bodyStart..close]).Trim('\n', '\r').TrimEnd();
        if (code.Trim().Length == 0)
            return ParsedAction.Failure("Error: the code block is empty. Put C# statements between ```csharp and ```.");

        return ParsedAction.Success(ReadThought(text[..open]), code);
    }

    private static string ReadThought(string head)
    {
        var thought = head.Trim();
        const string label = "Thought:";
        var at = thought.IndexOf(label, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
            thought = thought[(at + label.Length)..].Trim();
        return thought;
    }
}
