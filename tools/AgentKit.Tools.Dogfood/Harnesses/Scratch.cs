using System.Diagnostics;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// A folder private to this worker process, for parsers whose entry point takes a path. Each input overwrites the
/// same file, so a campaign writes a handful of files, not one per input. Folders of workers that are gone (killed
/// after a hang or a crash) are removed when the next worker starts, so a long campaign does not fill the temp disk.
/// </summary>
internal static class Scratch
{
    private static readonly Lazy<string> s_folder = new(Create);

    /// <summary>This process's scratch folder.</summary>
    public static string Folder => s_folder.Value;

    /// <summary>Writes <paramref name="data"/> to <paramref name="fileName"/> in the scratch folder and returns its path.</summary>
    public static string Write(string fileName, ReadOnlySpan<byte> data)
    {
        var path = Path.Combine(Folder, fileName);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static string Create()
    {
        var root = Path.Combine(Path.GetTempPath(), "agentkit-dogfood-scratch");
        Directory.CreateDirectory(root);
        foreach (var stale in Directory.EnumerateDirectories(root))
        {
            if (int.TryParse(Path.GetFileName(stale), out var pid) && pid != Environment.ProcessId && !IsAlive(pid))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (IOException)
                {
                    // another worker cleans it up at the same moment
                }
            }
        }
        var folder = Path.Combine(root, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
