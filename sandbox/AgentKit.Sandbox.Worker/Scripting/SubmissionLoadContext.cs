using System.Reflection;
using System.Runtime.Loader;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>
/// One collectible load context per script context: every submission of one notebook state loads here, and
/// unloading it frees them all (Roslyn's own script loader never unloads, which leaks an assembly per snippet).
/// </summary>
internal sealed class SubmissionLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    private readonly Dictionary<string, Assembly> _submissions = new(StringComparer.Ordinal);

    /// <summary>Loads a compiled submission with its debug symbols (for line numbers in runtime errors).</summary>
    public Assembly Add(Stream image, Stream symbols)
    {
        var assembly = LoadFromStream(image, symbols);
        _submissions[assembly.GetName().Name!] = assembly;
        return assembly;
    }

    /// <summary>Submissions reference earlier ones by name; everything else comes from the default context.</summary>
    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name is { } name && _submissions.TryGetValue(name, out var assembly) ? assembly : null;
}
