using AgentKit.Atlas.Corpus;
using AgentKit.Core.Actions;

namespace AgentKit.Atlas.Teacher;

/// <summary>
/// The C# idioms of the teacher's code, kept few and regular so a small model can imitate them. The code never
/// spells a name from the question: it takes the passages the question mentions
/// (<c>Mentions(task, "country/")</c>), reads facts with one <c>Regex.Match</c> per fact, and takes thresholds
/// from the question text, so the model only has to choose the right idiom, never to copy a name.
/// </summary>
internal static class TeacherCode
{
    /// <summary>Passages per search in the second hop of a bridge: enough for the title match to be among them.</summary>
    public const int K = 3;

    /// <summary>The continents in the order a question's text is tested against them: no continent name is part of an earlier one, and "Africa" (part of country names) comes last.</summary>
    public const string Continents = "new[] { \"North America\", \"South America\", \"Europe\", \"Asia\", \"Oceania\", \"Antarctica\", \"Africa\" }";

    /// <summary><c>Mentions(task, "country/")</c>: the passages of the given kind the question mentions, in order.</summary>
    public static string Mentioned(string kind) => $"Mentions(task, {CSharpLiteral.Of(kind + "/")})";

    /// <summary>The expression reading <paramref name="fact"/> from the passage text expression <paramref name="text"/>.</summary>
    public static string Read(AtlasFact fact, string text)
    {
        var match = $"Regex.Match({text}, @\"{fact.Pattern}\").Groups[1].Value";
        return fact.Kind switch
        {
            FactValueKind.Text => match,
            FactValueKind.Area => $"double.Parse({match})",
            _ when fact == AtlasFact.Independence => $"int.Parse({match})",
            _ => $"long.Parse({match})",
        };
    }

    /// <summary>The action text: one thought line and one csharp block.</summary>
    public static string Action(string thought, IEnumerable<string> lines) =>
        $"Thought: {thought}\n```csharp\n{string.Join('\n', lines)}\n```";
}
