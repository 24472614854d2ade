namespace AgentKit.Core.Definitions;

/// <summary>How <see cref="AgentDefinitionLoader"/> treats an <c>agent.json</c>.</summary>
public sealed record AgentLoadOptions
{
    /// <summary>The defaults: every file the definition names must lie inside the agent folder.</summary>
    public static readonly AgentLoadOptions Default = new();

    /// <summary>
    /// Accept file fields (<c>instructions_file</c>, <c>model.path</c>, tool settings such as <c>corpus</c> and
    /// <c>index</c>) that lead outside the agent folder: through <c>..</c>, as an absolute path, or through a
    /// symbolic link (default false). Off by default because an agent folder is something people download and run:
    /// its definition should not be able to make the host read, say, <c>~/.ssh/id_rsa</c> into a prompt.
    /// </summary>
    public bool AllowPathsOutsideAgentFolder { get; init; }
}
