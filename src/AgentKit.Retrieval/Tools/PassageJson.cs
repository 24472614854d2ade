using System.Text.Json.Nodes;
using AgentKit.Retrieval.Search;

namespace AgentKit.Retrieval.Tools;

/// <summary>
/// The JSON every passage tool returns: property names exactly those of <see cref="SearchTool.PassageDeclaration"/>,
/// so one declared record receives the results of all of them.
/// </summary>
internal static class PassageJson
{
    public static JsonArray ToArray(IEnumerable<Passage> passages, int maxTextChars)
    {
        var result = new JsonArray();
        foreach (var passage in passages)
        {
            result.Add(new JsonObject
            {
                ["Id"] = passage.Id,
                ["Title"] = passage.Title,
                ["Text"] = Cut(passage.Text, maxTextChars),
                ["Score"] = Math.Round(passage.Score, 4),
            });
        }
        return result;
    }

    private static string Cut(string text, int maxChars) =>
        text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), "…");
}
