namespace AgentKit.Packaging.Tests;

/// <summary>Paths inside the repository these tests build from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding AgentKit.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string Project(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"AgentKit.sln not found above {AppContext.BaseDirectory}.");
    }
}
