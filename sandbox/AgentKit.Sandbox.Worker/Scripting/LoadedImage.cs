using System.Reflection;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>A submission loaded in this worker: its assembly and what it takes to run it.</summary>
/// <param name="Assembly">The loaded submission assembly.</param>
/// <param name="EntryType">Metadata name of the submission class; null when there is no code to run.</param>
/// <param name="EntryMethod">Metadata name of its factory method.</param>
/// <param name="HasResult">True when the snippet's value is its result.</param>
/// <param name="Parent">The shared image it was compiled on top of; its references to earlier submissions resolve there.</param>
internal sealed record LoadedImage(Assembly Assembly, string? EntryType, string? EntryMethod, bool HasResult, LoadedImage? Parent)
{
    /// <summary>The load context a shared image has to itself (null for an image loaded privately into a context).</summary>
    public ImageLoadContext? OwnContext { get; init; }

    /// <summary>Describes <paramref name="assembly"/>, loaded from <paramref name="image"/>.</summary>
    public static LoadedImage From(Assembly assembly, SubmissionImage image, LoadedImage? parent) =>
        new(assembly, image.EntryType, image.EntryMethod, image.HasResult, parent);

    /// <summary>Finds the submission assembly called <paramref name="name"/> among this image and the ones it was built on.</summary>
    public Assembly? Find(string? name)
    {
        for (var image = this; image is not null; image = image.Parent)
        {
            if (image.Assembly.GetName().Name == name) return image.Assembly;
        }
        return null;
    }
}
