using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Core.Definitions;

namespace AgentKit.Atlas.Data;

/// <summary>
/// Copies an agent's definition (agent.json) and its instructions file into another folder, so a training-only agent
/// folder runs the very agent the student will be. The model file is not copied.
/// </summary>
internal static class AgentDefinitionCopy
{
    /// <summary>The agent.json of <paramref name="agentFolder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no agent definition.</exception>
    public static string RequireDefinition(string agentFolder)
    {
        var agentFile = Path.Combine(agentFolder, AgentDefinitionLoader.FileName);
        return File.Exists(agentFile)
            ? agentFile
            : throw new FileNotFoundException($"no {AgentDefinitionLoader.FileName} in agent folder {agentFolder}.", agentFile);
    }

    /// <summary>Copies agent.json and the instructions file it names from <paramref name="agentFolder"/> to <paramref name="folder"/> (which must exist).</summary>
    public static void Copy(string agentFolder, string folder)
    {
        var text = File.ReadAllText(RequireDefinition(agentFolder));
        File.WriteAllText(Path.Combine(folder, AgentDefinitionLoader.FileName), text);
        var node = JsonNode.Parse(text, documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (node?["instructions_file"]?.GetValue<string>() is { } instructions)
            File.Copy(Path.Combine(agentFolder, instructions), Path.Combine(folder, instructions), overwrite: true);
    }
}
