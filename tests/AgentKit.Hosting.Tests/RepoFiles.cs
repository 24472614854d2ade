namespace AgentKit.Hosting.Tests;

/// <summary>Finds repository files (the shipped example agent) for the hosting tests.</summary>
internal static class RepoFiles
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }

    public static string ExampleAgent => Path.Combine(Root(), "agents", "example");
}
