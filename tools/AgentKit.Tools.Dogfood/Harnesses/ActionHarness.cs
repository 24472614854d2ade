using AgentKit.Core.Actions;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The action parser on raw model text. It documents that it never throws; and the canonical text of a parsed action
/// (what agent memory and SFT data keep) must parse back to the same thought and code, or training data would teach
/// a different action than the one that ran.
/// </summary>
public static class ActionHarness
{
    /// <summary>Parses <paramref name="text"/> and checks the canonical round trip.</summary>
    /// <exception cref="InvalidOperationException">The canonical text of the action parses to a different action (a finding).</exception>
    public static void Parse(string text)
    {
        var parsed = ActionParser.Parse(text);
        if (!parsed.Succeeded)
            return;
        var canonical = parsed.ToCanonicalText();
        var again = ActionParser.Parse(canonical);
        if (again.Code != parsed.Code || again.Thought != parsed.Thought)
            throw new InvalidOperationException(
                $"canonical text does not round-trip: thought {Quote(parsed.Thought)} → {Quote(again.Thought)}, code {Quote(parsed.Code)} → {Quote(again.Code)}");
    }

    private static string Quote(string? value) => value is null ? "null" : System.Text.Json.JsonSerializer.Serialize(value);
}
