using System.Text.Json;

namespace AgentKit.Packaging.Tests.Backends;

/// <summary>One package a project references after evaluation, with its central version.</summary>
internal sealed record SelectedPackage(string Id, string? Version, string ExcludeAssets);

/// <summary>
/// What NuGet will restore for a project under some global properties, read from MSBuild evaluation
/// (<c>dotnet msbuild -getItem:PackageReference -getItem:PackageVersion</c>): each PackageReference joined with the
/// central PackageVersion of the same id, as central package management does at restore.
/// </summary>
internal static class PackageGraph
{
    public static async Task<IReadOnlyList<SelectedPackage>> EvaluateAsync(string project, params string[] properties)
    {
        var arguments = new List<string> { "msbuild", RepoPaths.Project(project), "-getItem:PackageReference", "-getItem:PackageVersion" };
        arguments.AddRange(properties.Select(p => "-p:" + p));
        var run = await DotnetCli.RunAsync(RepoPaths.Root, arguments, TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Transcript);

        using var json = JsonDocument.Parse(run.Output);
        var items = json.RootElement.GetProperty("Items");
        var versions = items.GetProperty("PackageVersion").EnumerateArray()
            .ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Version").GetString(), StringComparer.OrdinalIgnoreCase);
        return items.GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!)
            .Select((id, index) => new SelectedPackage(id, versions.GetValueOrDefault(id),
                items.GetProperty("PackageReference")[index].TryGetProperty("ExcludeAssets", out var exclude) ? exclude.GetString() ?? "" : ""))
            .ToList();
    }

    public static SelectedPackage Single(this IReadOnlyList<SelectedPackage> packages, string id) =>
        packages.SingleOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase))
            ?? throw new Xunit.Sdk.XunitException($"{id} is not referenced; referenced: {string.Join(", ", packages.Select(p => p.Id))}");
}
