using AgentKit.Fuzzing.Engine;

namespace AgentKit.Fuzzing.Afl;

/// <summary>
/// Writes inputs into a folder that afl-fuzz's main instance reads as a foreign sync directory (<c>-F</c>): named by
/// content hash like the corpus, through a dot-temp-file and a rename. afl++ (4.04c, <c>read_foreign_testcases</c>) takes
/// a file only when its whole-second mtime is later than the newest file of its previous scan, so two files written in
/// one second could lose the second one; each file here gets an mtime one second past the previous (or now, if later).
/// Not thread-safe: one writer (the LM round).
/// </summary>
internal sealed class AflForeignFolder
{
    private readonly string _folder;
    private DateTime _lastStamp;

    /// <summary>Writes into <paramref name="folder"/>; the first stamp is later than any file already there.</summary>
    public AflForeignFolder(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        _lastStamp = Directory.EnumerateFiles(folder).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
    }

    /// <summary>Writes <paramref name="input"/> as <c>HASH</c> with a fresh mtime; returns its path.</summary>
    public string Write(byte[] input)
    {
        var name = CampaignDirectory.Hash(input);
        var path = Path.Combine(_folder, name);
        var temp = Path.Combine(_folder, "." + name + ".tmp");
        File.WriteAllBytes(temp, input);
        var now = DateTime.UtcNow;
        var wholeSecond = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(1);
        var floor = new DateTime(_lastStamp.Ticks - _lastStamp.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(1);
        _lastStamp = wholeSecond > floor ? wholeSecond : floor;
        // Stamped before the rename, so afl never sees the final name with a stale mtime.
        File.SetLastWriteTimeUtc(temp, _lastStamp);
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
