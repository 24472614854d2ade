using AgentKit.Core.Trajectories;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The trajectory JSONL reader. It documents that it never throws on content: unreadable lines become warnings and
/// are skipped, so one bad record cannot hide the others.
/// </summary>
public static class TrajectoryHarness
{
    /// <summary>Reads <paramref name="text"/> as a trajectory file.</summary>
    /// <remarks>No documented rejection: every exception escaping is a finding.</remarks>
    public static void Parse(string text)
    {
        using var reader = new StringReader(text);
        _ = JsonlTrajectoryReader.Read(reader, "fuzz.jsonl");
    }
}
