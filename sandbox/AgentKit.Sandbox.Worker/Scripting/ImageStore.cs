using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>
/// The shared images of this worker's run, by id: every context that replays or tries a submission uses the one
/// loaded copy, so restoring a state re-runs its code but never loads or compiles it again.
/// </summary>
internal sealed class ImageStore
{
    private readonly Dictionary<long, LoadedImage> _shared = [];

    /// <summary>Shared images loaded now.</summary>
    public int Count => _shared.Count;

    /// <summary>
    /// The image <paramref name="image"/> refers to, loaded for <paramref name="context"/>: privately into the context,
    /// or shared (loaded on first use).
    /// </summary>
    /// <exception cref="InvalidDataException">The host referred to an image this worker does not have.</exception>
    public LoadedImage Resolve(ImageRef image, ScriptContext context)
    {
        if (image.Private)
            return context.LoadPrivate(image.Payload ?? throw new InvalidDataException($"Private image {image.Id} came without its bytes."));
        if (!_shared.TryGetValue(image.Id, out var loaded))
        {
            var payload = image.Payload ?? throw new InvalidDataException($"Unknown image {image.Id}.");
            LoadedImage? parent = null;
            if (image.ParentId != 0 && !_shared.TryGetValue(image.ParentId, out parent))
                throw new InvalidDataException($"Image {image.Id} is built on image {image.ParentId}, which this worker does not have.");
            var loadContext = new ImageLoadContext($"agentkit-image-{image.Id}", parent);
            var assembly = loadContext.Add(new MemoryStream(payload.Image, writable: false),
                payload.Symbols is { } symbols ? new MemoryStream(symbols, writable: false) : null);
            loaded = LoadedImage.From(assembly, payload, parent) with { OwnContext = loadContext };
            _shared[image.Id] = loaded;
        }
        context.UseShared(loaded);
        return loaded;
    }

    /// <summary>Forgets image <paramref name="id"/> and unloads it once no context uses it; a reference to watch it go, or null.</summary>
    public WeakReference? Drop(long id)
    {
        if (!_shared.Remove(id, out var image) || image.OwnContext is not { } loadContext) return null;
        loadContext.Unload();
        return new WeakReference(loadContext);
    }
}
