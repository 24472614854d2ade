using AgentKit.Atlas.Corpus;

namespace AgentKit.Atlas.Teacher;

/// <summary>
/// The C# idioms of the teacher's code, kept few and regular so a small model can imitate them:
/// <c>var t = Search("Peru capital", 3).First(x =&gt; x.Title == "Peru").Text;</c> to fetch a passage by title,
/// and one <c>Regex.Match</c> per fact with the pattern of <see cref="AtlasFact"/>.
/// </summary>
internal static class TeacherCode
{
    /// <summary>Passages per search: enough for the title match to be among them.</summary>
    public const int K = 3;

    /// <summary>A C# string literal for <paramref name="text"/>.</summary>
    public static string Literal(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

    /// <summary><c>Search("Peru capital", 3).First(x =&gt; x.Title == "Peru").Text</c>.</summary>
    public static string FetchByTitle(string query, string title) =>
        $"Search({Literal(query)}, {K}).First(x => x.Title == {Literal(title)}).Text";

    /// <summary>The expression reading <paramref name="fact"/> from the passage text in variable <paramref name="text"/>.</summary>
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
