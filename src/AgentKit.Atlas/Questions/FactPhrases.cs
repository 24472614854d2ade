using AgentKit.Atlas.Corpus;

namespace AgentKit.Atlas.Questions;

/// <summary>The ways a question can name a fact ("the capital", "the capital city").</summary>
internal static class FactPhrases
{
    private static readonly Dictionary<string, string[]> s_phrases = new()
    {
        ["capital"] = ["capital", "capital city"],
        ["continent"] = ["continent"],
        ["population"] = ["population", "number of inhabitants"],
        ["area"] = ["surface area", "area in square kilometres"],
        ["currency"] = ["currency", "official currency"],
        ["independence"] = ["independence year", "year of independence"],
        ["government"] = ["government type", "form of government"],
    };

    public static IReadOnlyList<string> For(AtlasFact fact) => s_phrases[fact.Key];

    /// <summary>The first (plainest) phrase, used in the teacher's thoughts.</summary>
    public static string Plain(AtlasFact fact) => s_phrases[fact.Key][0];
}
