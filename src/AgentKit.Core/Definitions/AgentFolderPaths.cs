namespace AgentKit.Core.Definitions;

/// <summary>
/// Resolves the file fields of an agent definition against the agent folder and keeps them inside it: a path that
/// leaves the folder with <c>..</c>, an absolute path elsewhere, and a path through a symbolic link whose target
/// lies elsewhere are all refused, unless <see cref="AgentLoadOptions.AllowPathsOutsideAgentFolder"/> is set.
/// Files that do not exist yet (an index built later) are checked as far as they exist.
/// </summary>
public static class AgentFolderPaths
{
    /// <summary>
    /// The <c>tool_settings</c> keys whose values are paths (relative to the agent folder). A tool that takes another
    /// file or folder setting adds its key here, so the loader confines it too.
    /// </summary>
    public static readonly IReadOnlyList<string> ToolSettingPathKeys = ["index", "corpus"];

    // Deep enough for any sane layout; a loop of links fails here instead of recursing forever.
    private const int MaxLinkDepth = 40;

    private static readonly StringComparison s_comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// The absolute path of <paramref name="value"/> (relative to <paramref name="folder"/>, or absolute), after
    /// checking that it stays inside <paramref name="folder"/> unless <paramref name="allowOutside"/>.
    /// </summary>
    /// <param name="folder">The agent folder (absolute).</param>
    /// <param name="value">The path as written in the definition.</param>
    /// <param name="field">The field's name for the error, e.g. <c>model.path</c>.</param>
    /// <param name="allowOutside">Skip the check.</param>
    /// <exception cref="InvalidDataException">The path leads outside the folder; the message names the field and how.</exception>
    public static string Resolve(string folder, string value, string field, bool allowOutside)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(value, root);
        if (allowOutside)
            return full;
        var hint = $"agent files must stay inside the agent folder {root} (allow paths outside it with {nameof(AgentLoadOptions.AllowPathsOutsideAgentFolder)}, CLI: --allow-outside-paths).";
        if (!IsInside(root, full))
        {
            var how = Path.IsPathRooted(value) ? "is an absolute path outside the agent folder" : "goes up out of the agent folder with '..'";
            throw new InvalidDataException($"{field} \"{value}\" {how}; {hint}");
        }
        string realRoot, realFull;
        try
        {
            realRoot = RealPath(root);
            realFull = RealPath(full);
        }
        catch (IOException ex)
        {
            throw new InvalidDataException($"{field} \"{value}\": its symbolic links cannot be followed ({ex.Message}); {hint}", ex);
        }
        if (!IsInside(realRoot, realFull))
            throw new InvalidDataException($"{field} \"{value}\" goes through a symbolic link to {realFull}, outside the agent folder; {hint}");
        return full;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies under it (both absolute, normalised).</summary>
    public static bool IsInside(string folder, string path)
    {
        var parent = Path.TrimEndingDirectorySeparator(folder);
        var child = Path.TrimEndingDirectorySeparator(path);
        return child.Equals(parent, s_comparison)
               || (child.StartsWith(parent, s_comparison) && child.Length > parent.Length
                   && (child[parent.Length] == Path.DirectorySeparatorChar || child[parent.Length] == Path.AltDirectorySeparatorChar
                       || parent.EndsWith(Path.DirectorySeparatorChar))); // parent is a root such as "/"
    }

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link along it replaced by its target (what the OS will open).
    /// The part that does not exist yet is kept as written.
    /// </summary>
    /// <exception cref="IOException">A loop of links, or links nested too deep.</exception>
    internal static string RealPath(string fullPath, int depth = 0)
    {
        if (depth > MaxLinkDepth)
            throw new IOException("too many levels of symbolic links");
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        var parts = fullPath[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            var next = Path.Combine(current, part);
            // FileInfo reads a link whether it names a file or a folder, and whether its target exists or not.
            if (new FileInfo(next).LinkTarget is { } target)
                next = RealPath(Path.GetFullPath(target, current), depth + 1);
            current = next;
        }
        return current;
    }
}
