using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentKit.Core.Definitions;

/// <summary>
/// Reads <c>&lt;folder&gt;/agent.json</c> (snake_case keys, unknown keys rejected) and the optional
/// instructions file it names (<c>"instructions_file": "prompt.md"</c>, relative to the folder). Every field that
/// names a file or folder (<c>instructions_file</c>, <c>model.path</c>, <c>tool_settings.*.index</c> and
/// <c>.corpus</c>) must stay inside the agent folder unless <see cref="AgentLoadOptions.AllowPathsOutsideAgentFolder"/>
/// is set; see <see cref="AgentFolderPaths"/>.
/// </summary>
public static class AgentDefinitionLoader
{
    /// <summary>The definition file name inside an agent folder.</summary>
    public const string FileName = "agent.json";

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates the agent in <paramref name="folder"/> (or the folder of a given <c>agent.json</c>).</summary>
    /// <exception cref="InvalidDataException">The folder, the file or its content is invalid, or a file field leads outside the folder.</exception>
    public static LoadedAgent Load(string folder, AgentLoadOptions? options = null)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full) && Path.GetFileName(full) == FileName)
            full = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(full))
            throw new InvalidDataException($"Agent folder not found: {folder}");
        var file = Path.Combine(full, FileName);
        if (!File.Exists(file))
            throw new InvalidDataException($"No {FileName} in agent folder {folder}.");
        return new LoadedAgent(Parse(File.ReadAllText(file), full, file, options), full);
    }

    /// <summary>Parses an <c>agent.json</c> text; <paramref name="folder"/> resolves and confines its file fields.</summary>
    /// <exception cref="InvalidDataException">The content is invalid, or a file field leads outside the folder.</exception>
    public static AgentDefinition Parse(string json, string folder, string sourceName = FileName, AgentLoadOptions? options = null)
    {
        var allowOutside = (options ?? AgentLoadOptions.Default).AllowPathsOutsideAgentFolder;
        try
        {
            if (JsonNode.Parse(json, documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is not JsonObject node)
                throw new InvalidDataException($"{sourceName}: expected a JSON object.");
            var instructionsFile = TakeString(node, "instructions_file", sourceName);
            var definition = node.Deserialize<AgentDefinition>(s_options)
                ?? throw new InvalidDataException($"{sourceName}: expected a JSON object.");
            if (instructionsFile is not null)
            {
                if (node.ContainsKey("instructions"))
                    throw new InvalidDataException($"{sourceName}: set either \"instructions\" or \"instructions_file\", not both.");
                var path = AgentFolderPaths.Resolve(folder, instructionsFile, $"{sourceName}: instructions_file", allowOutside);
                if (!File.Exists(path))
                    throw new InvalidDataException($"{sourceName}: instructions_file \"{instructionsFile}\" not found in {folder}.");
                definition = definition with { Instructions = File.ReadAllText(path).Trim() };
            }
            definition.Validate();
            CheckFileFields(definition, folder, sourceName, allowOutside);
            return definition;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceName}: invalid JSON: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{sourceName}: {ex.Message}", ex);
        }
    }

    /// <summary>The file fields besides instructions_file (read above, before the file is opened).</summary>
    private static void CheckFileFields(AgentDefinition definition, string folder, string sourceName, bool allowOutside)
    {
        if (definition.Model.Path is { } model)
            AgentFolderPaths.Resolve(folder, model, $"{sourceName}: model.path", allowOutside);
        foreach (var (tool, settings) in definition.ToolSettings)
        {
            foreach (var key in AgentFolderPaths.ToolSettingPathKeys)
            {
                if (settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
                    AgentFolderPaths.Resolve(folder, value, $"{sourceName}: tool_settings.{tool}.{key}", allowOutside);
            }
        }
    }

    private static string? TakeString(JsonObject node, string key, string sourceName)
    {
        if (!node.TryGetPropertyValue(key, out var value))
            return null;
        node.Remove(key);
        return value is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw new InvalidDataException($"{sourceName}: \"{key}\" must be a non-empty string.");
    }
}
