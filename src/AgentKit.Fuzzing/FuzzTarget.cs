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

    /// <summary>
    /// The target a command line names: <c>Id@Version</c> of a NuGet package (restored, with <paramref name="harness"/>'s
    /// <see cref="FuzzHarness.AlsoInstrument"/> family when the harness is the adapter for that package), or local assembly
    /// paths separated by <c>,</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed <c>Id@Version</c>, or an assembly that does not exist.</exception>
    /// <exception cref="InvalidOperationException">Restore failed.</exception>
    public static async Task<FuzzTarget> ResolveAsync(string target, FuzzHarness harness, string cacheDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(harness);
        if (IsPackageReference(target))
        {
            var at = target.LastIndexOf('@');
            if (at <= 0 || at == target.Length - 1)
                throw new ArgumentException($"--target '{target}' must be Id@Version or a path to a .dll");
            var id = target[..at];
            var family = string.Equals(id, harness.PackageId, StringComparison.OrdinalIgnoreCase) ? harness.AlsoInstrument : [];
            return await FromNuGetAsync(id, target[(at + 1)..], cacheDirectory, family, cancellationToken).ConfigureAwait(false);
        }
        var paths = target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var path in paths)
            if (!File.Exists(path))
                throw new ArgumentException($"target assembly not found: {path}");
        return Local(paths);
    }

    /// <summary>True when <paramref name="target"/> looks like <c>Id@Version</c> rather than a path.</summary>
    public static bool IsPackageReference(string target) =>
        target.Contains('@') && !target.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !File.Exists(target);

    /// <summary>
    /// Restores NuGet package <paramref name="id"/> at <paramref name="version"/> into the cache (a generated project and
    /// <c>dotnet restore</c>, so the machine's NuGet sources and offline folders apply) and takes its net10.0 run-time assemblies.
    /// </summary>
    /// <exception cref="InvalidOperationException">Restore failed (unknown package or version, no source).</exception>
    public static Task<FuzzTarget> FromNuGetAsync(string id, string version, string cacheDirectory, CancellationToken cancellationToken = default) =>
        FromNuGetAsync(id, version, cacheDirectory, [], cancellationToken);

    /// <summary>
    /// As <see cref="FromNuGetAsync(string, string, string, CancellationToken)"/>, and also instruments the assemblies of the
    /// dependency packages named in <paramref name="alsoInstrument"/> (see <see cref="FuzzHarness.AlsoInstrument"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Restore failed (unknown package or version, no source).</exception>
    public static async Task<FuzzTarget> FromNuGetAsync(string id, string version, string cacheDirectory, IReadOnlyList<string> alsoInstrument, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alsoInstrument);
        if (string.IsNullOrWhiteSpace(id) || id.IndexOfAny(['<', '>', '"', '/', '\\']) >= 0)
            throw new ArgumentException($"invalid package id '{id}'", nameof(id));
        if (string.IsNullOrWhiteSpace(version) || version.IndexOfAny(['<', '>', '"', '/', '\\']) >= 0)
            throw new ArgumentException($"invalid package version '{version}'", nameof(version));
        var project = Path.Combine(cacheDirectory, "packages", $"{id.ToLowerInvariant()}-{version}");
        var assets = await RestoreAsync(project, [(id, version)], cancellationToken).ConfigureAwait(false);
        return FromAssets(assets, id, version, alsoInstrument);
    }

    /// <summary>
    /// Restores <paramref name="packages"/> together in a generated project in <paramref name="project"/> (skipped when
    /// an earlier restore there succeeded); returns the path of its <c>project.assets.json</c>.
    /// </summary>
    internal static async Task<string> RestoreAsync(string project, IReadOnlyList<(string Id, string Version)> packages, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(project);
        var assets = Path.Combine(project, "obj", "project.assets.json");
        if (File.Exists(assets))
            return assets;
        // Standalone project: empty props/targets stop a surrounding repository's build settings leaking in.
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), "<Project />", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Packages.props"), "<Project />", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.targets"), "<Project />", cancellationToken).ConfigureAwait(false);
        var references = string.Concat(packages.Select(p => $"""<PackageReference Include="{p.Id}" Version="[{p.Version}]" />"""));
        await File.WriteAllTextAsync(Path.Combine(project, "restore.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>{references}</ItemGroup>
            </Project>
            """, cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = project };
        start.ArgumentList.Add("restore");
        start.ArgumentList.Add("restore.csproj");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'dotnet restore'");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            if (File.Exists(assets))
                File.Delete(assets);
            var detail = string.Join('\n', ((await output.ConfigureAwait(false)) + (await errors.ConfigureAwait(false))).Split('\n')
                .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(5));
            throw new InvalidOperationException($"could not restore {string.Join(", ", packages.Select(p => $"{p.Id}@{p.Version}"))}: {detail.Trim()}");
        }
        return assets;
    }

    /// <summary>The run-time assemblies of package <paramref name="id"/> in a restore's assets file (targets) and all others there (dependencies).</summary>
    internal static FuzzTarget FromAssets(string assetsPath, string id, string version, IReadOnlyList<string> alsoInstrument)
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
            var package = library.Name.Split('/')[0];
            var isTarget = package.Equals(id, StringComparison.OrdinalIgnoreCase) || alsoInstrument.Contains(package, StringComparer.OrdinalIgnoreCase);
            foreach (var file in runtime.EnumerateObject().Select(r => r.Name).Where(n => n.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
                (isTarget ? targets : dependencies).Add(Path.Combine(packageFolder, libraryPath, file));
        }
        if (targets.Count == 0)
            throw new InvalidOperationException($"{id}@{version} has no run-time assembly for net10.0");
        return new FuzzTarget(targets, dependencies, $"{id}@{version}");
    }
}
