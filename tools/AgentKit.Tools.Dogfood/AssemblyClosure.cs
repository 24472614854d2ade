using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AgentKit.Tools.Dogfood;

/// <summary>
/// The assemblies a root assembly references, directly or not, that sit in its folder (framework assemblies are not
/// there and are found by the runtime). Read from metadata without loading anything, so the fuzz worker gets exactly
/// what the harnesses need instead of every file of the host's output folder.
/// </summary>
internal static class AssemblyClosure
{
    /// <summary>Paths of <paramref name="root"/> and everything it references from its folder, minus <paramref name="exclude"/> (simple names).</summary>
    public static IReadOnlyList<string> Of(string root, IReadOnlySet<string> exclude)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(root))!;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        var pending = new Stack<string>([Path.GetFullPath(root)]);
        while (pending.TryPop(out var path))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (exclude.Contains(name) || !seen.Add(name) || !File.Exists(path))
                continue;
            result.Add(path);
            foreach (var reference in References(path))
                pending.Push(Path.Combine(folder, reference + ".dll"));
        }
        return result;
    }

    private static List<string> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
            return [];
        var metadata = pe.GetMetadataReader();
        return [.. metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))];
    }
}
