using AgentKit.Core.Definitions;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The agent-definition loader: the input is written as <c>agent.json</c> into a scratch agent folder (which also holds
/// a <c>prompt.md</c>, so <c>"instructions_file": "prompt.md"</c> resolves) and loaded with
/// <see cref="AgentDefinitionLoader.Load"/>, as <c>agentkit run --agent</c> does.
/// </summary>
public static class AgentDefinitionHarness
{
    private static readonly Lazy<string> s_folder = new(() =>
    {
        var folder = Path.Combine(Scratch.Folder, "agent");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "prompt.md"), "Answer briefly.\n");
        return folder;
    });

    /// <summary>Loads <paramref name="data"/> as the <c>agent.json</c> of an agent folder.</summary>
    /// <remarks>Documented rejection: <see cref="InvalidDataException"/>. Anything else escaping is a finding.</remarks>
    public static void Parse(ReadOnlySpan<byte> data)
    {
        File.WriteAllBytes(Path.Combine(s_folder.Value, AgentDefinitionLoader.FileName), data);
        try
        {
            _ = AgentDefinitionLoader.Load(s_folder.Value);
        }
        catch (InvalidDataException)
        {
            // invalid JSON, unknown keys, out-of-range settings: the documented rejection
        }
    }
}
