namespace AgentKit.Cli.Tests;

/// <summary>Runs the CLI in-process and finds repository files for the agent verbs' tests.</summary>
internal static class AgentCli
{
    /// <summary>Tests that start a sandbox and a model run one at a time: in parallel they starve 2 cores.</summary>
    public const string Collection = "agent-cli";

    public static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRun.RunAsync(args);

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }

    public static string ExampleAgent => Path.Combine(RepoRoot(), "agents", "example");

    public static string ExampleTasks => Path.Combine(ExampleAgent, "tasks.jsonl");
}
