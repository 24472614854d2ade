using System.Reflection;
using System.Runtime.Loader;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>
/// A collectible load context holding one shared submission image. Its references to earlier submissions resolve
/// through the image it was compiled on top of, which lives in a load context of its own.
/// </summary>
/// <remarks>
/// Like <see cref="SubmissionLoadContext"/>, it must not reference its own assembly, or an unloaded context could
/// never be collected; it only references its parent image.
/// </remarks>
internal sealed class ImageLoadContext(string name, LoadedImage? parent) : AssemblyLoadContext(name, isCollectible: true)
{
    /// <summary>Loads the image with its debug symbols (for line numbers in runtime errors).</summary>
    public Assembly Add(Stream image, Stream? symbols) => LoadFromStream(image, symbols);

    /// <summary>Earlier submissions come from the parent chain; everything else from the default context.</summary>
    protected override Assembly? Load(AssemblyName assemblyName) => parent?.Find(assemblyName.Name);
}
