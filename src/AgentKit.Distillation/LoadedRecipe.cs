namespace AgentKit.Distillation;

/// <summary>A validated recipe with the folders its relative paths resolve against.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Path">Absolute path of the recipe file.</param>
/// <param name="AgentFolder">Absolute path of the agent folder (the recipe's folder unless it says <c>agent</c>).</param>
public sealed record LoadedRecipe(DistillRecipe Recipe, string Path, string AgentFolder)
{
    /// <summary>The folder holding the recipe.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The agent's name: the folder's name (the work folder defaults to <c>distill-work/&lt;name&gt;</c>).</summary>
    public string AgentName => System.IO.Path.GetFileName(AgentFolder.TrimEnd(System.IO.Path.DirectorySeparatorChar));

    /// <summary>Resolves a path written in the recipe against the recipe's folder.</summary>
    public string FromRecipe(string path) => System.IO.Path.GetFullPath(path, Folder);

    /// <summary>Where the GGUF goes by default: <c>export.out</c> relative to the agent folder.</summary>
    public string DefaultExportPath => System.IO.Path.GetFullPath(Recipe.Export.Out, AgentFolder);
}
