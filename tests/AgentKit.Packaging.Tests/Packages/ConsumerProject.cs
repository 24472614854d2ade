namespace AgentKit.Packaging.Tests.Packages;

/// <summary>
/// A fresh application outside the repository that references AgentKit packages by version only: its own
/// nuget.config adds the local feed, its restore writes to a folder of its own (the machine's package cache is
/// only read, as a fallback, so third-party packages need no download and nothing AgentKit lands in it).
/// </summary>
internal static class ConsumerProject
{
    public static void Write(string folder, string feed, string version, string packagesCache)
    {
        Directory.CreateDirectory(folder);
        // Stop MSBuild's upward search: the consumer must not pick up any Directory.*.props above it.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="agentkit-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(folder, "packages")}</RestorePackagesPath>
                <RestoreFallbackFolders>{packagesCache}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AgentKit.Core" Version="{version}" />
                <PackageReference Include="AgentKit.Sandbox" Version="{version}" />
                <PackageReference Include="AgentKit.Fuzzing" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), ProgramText);
    }

    /// <summary>
    /// One snippet straight through the sandbox, a scripted model through the agent loop, and a two-second fuzzing
    /// campaign against a parser of the app's own through the runner the Fuzzing package carries.
    /// </summary>
    private const string ProgramText = """
        using AgentKit.Core;
        using AgentKit.Core.Definitions;
        using AgentKit.Core.Models;
        using AgentKit.Fuzzing;
        using AgentKit.Sandbox;

        await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 1 });
        await using (var session = await sandbox.OpenSessionAsync([]))
        {
            var snippet = await session.ExecuteAsync("Console.WriteLine(string.Join(',', Enumerable.Range(1, 3)));");
            Console.WriteLine($"snippet: {snippet.Status} {snippet.Output.Trim()}");
        }

        var model = ScriptedCandidateGenerator.FromReplies(
            ["Thought: Multiply in code.\n```csharp\nvar product = 6 * 7;\nConsole.WriteLine(product);\nFinalAnswer(product.ToString());\n```"]);
        var definition = new AgentDefinition { Name = "consumer", Model = new AgentModelOptions { Path = "scripted" }, MaxSteps = 2 };
        var result = await new Agent(definition, model, sandbox, []).RunAsync("What is six times seven?");
        Console.WriteLine($"answer: {result.FinalAnswer} ({result.Outcome}, {result.ActionSteps} action step(s))");

        var campaign = Path.Combine(Path.GetTempPath(), "agentkit-consumer-fuzz-" + Guid.NewGuid().ToString("N"));
        var harness = FuzzHarness.Static($"{typeof(PairParser).FullName}.{nameof(PairParser.Parse)}", [typeof(FormatException).FullName!]);
        var instrumented = FuzzCampaign.Prepare(new FuzzTarget([typeof(PairParser).Assembly.Location], [], "PairParser"), harness, campaign, Path.Combine(campaign, "cache"));
        var fuzz = await FuzzCampaign.RunAsync(instrumented, harness, new FuzzCampaignOptions { OutputDirectory = campaign, Duration = TimeSpan.FromSeconds(2), Workers = 1, MaxInputBytes = 16 });
        Console.WriteLine($"fuzz: {fuzz.Execs} executions, {fuzz.Edges} edges, runner {Path.GetRelativePath(AppContext.BaseDirectory, FuzzCampaign.DefaultRunnerPath)}");
        Directory.Delete(campaign, recursive: true);
        return result.FinalAnswer == "42" && fuzz.Execs > 0 ? 0 : 1;

        /// <summary>"key=value", the app's own parser.</summary>
        public static class PairParser
        {
            public static void Parse(string text)
            {
                var at = text.IndexOf('=');
                if (at <= 0) throw new FormatException("expected key=value");
                _ = (text[..at], text[(at + 1)..]);
            }
        }
        """;
}
