using System.Diagnostics;
using System.Text.Json;

namespace AgentKit.Fuzzing;

/// <summary>The assemblies to fuzz (instrumented) and what they need at run time (copied as they are).</summary>
/// <param name="Assemblies">Assemblies to instrument.</param>
/// <param name="Dependencies">Run-time dependencies (not instrumented).</param>
/// <param name="Description">How the target was given (a path or <c>Id@Version</c>).</param>
public sealed record FuzzTarget(IReadOnlyList<string> Assemblies, IReadOnlyList<string> Dependencies, string Description)
{
    /// <summary>Default cache root: instrumented copies and restored packages live here.</summary>
    public static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "agentkit", "fuzz");

    /// <summary>Local assemblies; the other <c>.dll</c> files of their folders are taken as dependencies.</summary>
    /// <exception cref="FileNotFoundException">An assembly does not exist.</exception>
    public static FuzzTarget Local(params string[] assemblies)
    {
        if (assemblies.Length == 0)
            throw new ArgumentException("give at least one assembly", nameof(assemblies));
        var full = assemblies.Select(Path.GetFullPath).ToList();
        foreach (var file in full)
            if (!File.Exists(file))
                throw new FileNotFoundException($"target assembly not found: {file}", file);
        var names = full.Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var dependencies = full.Select(Path.GetDirectoryName).Distinct().SelectMany(d => Directory.EnumerateFiles(d!, "*.dll"))
            .Where(f => !names.Contains(Path.GetFileName(f)) && !Path.GetFileName(f).StartsWith("SharpFuzz", StringComparison.OrdinalIgnoreCase))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        return new FuzzTarget(full, dependencies, string.Join(",", assemblies));
    }

    /// <summary>True when <paramref name="target"/> looks like <c>Id@Version</c> rather than a path.</summary>
    public static bool IsPackageReference(string target) =>
        target.Contains('@') && !target.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !File.Exists(target);

    /// <summary>
    /// Restores NuGet package <paramref name="id"/> at <paramref name="version"/> into the cache (a generated project and
    /// <c>dotnet restore</c>, so the machine's NuGet sources and offline folders apply) and takes its net10.0 run-time assemblies.
    /// </summary>
    /// <exception cref="InvalidOperationException">Restore failed (unknown package or version, no source).</exception>
    public static async Task<FuzzTarget> FromNuGetAsync(string id, string version, string cacheDirectory, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(id) || id.IndexOfAny(['<', '>', '"', '/', '\\']) >= 0)
            throw new ArgumentException($"invalid package id '{id}'", nameof(id));
        if (string.IsNullOrWhiteSpace(version) || version.IndexOfAny(['<', '>', '"', '/', '\\']) >= 0)
            throw new ArgumentException($"invalid package version '{version}'", nameof(version));
        var project = Path.Combine(cacheDirectory, "packages", $"{id.ToLowerInvariant()}-{version}");
        Directory.CreateDirectory(project);
        var assets = Path.Combine(project, "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            // Standalone project: empty props/targets stop a surrounding repository's build settings leaking in.
            await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), "<Project />", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "Directory.Packages.props"), "<Project />", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.targets"), "<Project />", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup><PackageReference Include="{id}" Version="[{version}]" /></ItemGroup>
                </Project>
                """, cancellationToken);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = project };
            start.ArgumentList.Add("restore");
            start.ArgumentList.Add("restore.csproj");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'dotnet restore'");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                if (File.Exists(assets))
                    File.Delete(assets);
                var detail = string.Join('\n', ((await output) + (await errors)).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(5));
                throw new InvalidOperationException($"could not restore {id}@{version}: {detail.Trim()}");
            }
        }
        return FromAssets(assets, id, version);
    }

    private static FuzzTarget FromAssets(string assetsPath, string id, string version)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assetsPath));
        var root = document.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var targets = new List<string>();
        var dependencies = new List<string>();
        foreach (var library in root.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject())
        {
            if (!library.Value.TryGetProperty("runtime", out var runtime))
                continue;
            var libraryPath = libraries.GetProperty(library.Name).GetProperty("path").GetString()!;
            var isTarget = library.Name.Split('/')[0].Equals(id, StringComparison.OrdinalIgnoreCase);
            foreach (var file in runtime.EnumerateObject().Select(r => r.Name).Where(n => n.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
                (isTarget ? targets : dependencies).Add(Path.Combine(packageFolder, libraryPath, file));
        }
        if (targets.Count == 0)
            throw new InvalidOperationException($"{id}@{version} has no run-time assembly for net10.0");
        return new FuzzTarget(targets, dependencies, $"{id}@{version}");
    }
}
