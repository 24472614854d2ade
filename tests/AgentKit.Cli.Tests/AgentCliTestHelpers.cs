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

    /// <summary>
    /// A copy of the example agent in <paramref name="folder"/> whose steps are at most <paramref name="maxTokensPerStep"/> tokens:
    /// a random model then spends milliseconds, not seconds, per step, for tests of the wiring.
    /// </summary>
    public static string ShortStepExampleAgent(string folder, int maxTokensPerStep)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(ExampleAgent))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        var definition = Path.Combine(folder, "agent.json");
        var text = File.ReadAllText(definition);
        var shortened = System.Text.RegularExpressions.Regex.Replace(text, "\"max_tokens_per_step\": \\d+", $"\"max_tokens_per_step\": {maxTokensPerStep}");
        if (shortened == text)
            throw new InvalidOperationException("the example agent.json has no max_tokens_per_step to shorten.");
        File.WriteAllText(definition, shortened);
        return folder;
    }
}
