namespace AgentKit.SemanticKernel.Plugins;

/// <summary>How <see cref="KernelPluginTools"/> turns kernel functions into agent tools.</summary>
public sealed record KernelPluginToolOptions
{
    /// <summary>The defaults: records reach agent code as JSON text.</summary>
    public static readonly KernelPluginToolOptions Default = new();

    /// <summary>
    /// When true, a result whose type is a public non-generic class or record made only of mappable public properties
    /// (scalars, nullable scalars and arrays of them), or an array or list of one, reaches agent code as that type:
    /// it is declared in the sandbox as a positional C# record (<c>public record Passage(string Id, string Title);</c>)
    /// and agent code reads <c>hits[0].Title</c> instead of parsing JSON. Other results map as without it. Default false,
    /// so two plugins whose record types share a name but not a shape can still be given to one agent.
    /// </summary>
    public bool TypedRecordResults { get; init; }
}
