namespace AgentKit.Core.Definitions;

/// <summary>An agent definition together with the folder it came from.</summary>
/// <param name="Definition">The validated definition.</param>
/// <param name="Directory">Absolute path of the agent folder.</param>
public sealed record LoadedAgent(AgentDefinition Definition, string Directory)
{
    /// <summary>Absolute path of the GGUF model, or null for an endpoint model.</summary>
    public string? ModelPath => Definition.Model.Path is { } path ? ResolvePath(path) : null;

    /// <summary>
    /// Resolves a path from the definition (relative to the agent folder). The loader has already checked that the
    /// definition's file fields stay inside the folder (<see cref="AgentFolderPaths"/>); this only makes them absolute.
    /// </summary>
    public string ResolvePath(string path) => System.IO.Path.GetFullPath(path, Directory);
}
