using System.Reflection;
using System.Runtime.Loader;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>
/// A script context's own collectible load context, for the images it must not share (one-shot snippets, and a state
/// that declares static fields, from that submission on). Unloading it frees them all (Roslyn's own script loader
/// never unloads, which leaks an assembly per snippet). Names it does not hold resolve through
/// <paramref name="shared"/>, the last shared image of the context's chain.
/// </summary>
/// <remarks>
/// It must not keep references to its own assemblies (e.g. a name → assembly map): after <see cref="AssemblyLoadContext.Unload"/>
/// the runtime roots the context until its assemblies are unreachable, so such a cycle is never collected.
/// </remarks>
internal sealed class SubmissionLoadContext(string name, LoadedImage? shared) : AssemblyLoadContext(name, isCollectible: true)
{
    /// <summary>Loads a compiled submission with its debug symbols (for line numbers in runtime errors).</summary>
    public Assembly Add(Stream image, Stream? symbols) => LoadFromStream(image, symbols);

    /// <summary>Submissions reference earlier ones by name; everything else comes from the default context.</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        foreach (var assembly in Assemblies)
        {
            if (assembly.GetName().Name == assemblyName.Name) return assembly;
        }
        return shared?.Find(assemblyName.Name);
    }
}
