using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentKit.Fuzzing.Engine;

/// <summary>
/// The builtin engine's place in an AFL++ sync directory (the shared <c>-o</c> of <c>afl-fuzz -M/-S</c>), laid out as
/// an afl secondary instance so afl-fuzz and other builtin engines pick it up: the corpus it finds goes to
/// <c>SYNC/NAME/queue/id:NNNNNN,…</c> (numbered from 0 without gaps, because afl resumes each foreign queue at the next
/// expected id), and the inputs of every other instance's <c>queue/</c> come in once each, remembered in
/// <c>SYNC/NAME/.synced/OTHER</c> as afl does (the next id to read, 4 bytes little-endian). Files appear under
/// their final name complete (written to a dot-file, then renamed), since a reader may list the folder at any moment.
/// <see cref="Export"/> runs under the campaign's lock; <see cref="ImportNew"/> touches only the <c>.synced</c> marks
/// and may run beside it.
/// </summary>
internal sealed partial class AflSyncDirectory
{
    // afl-fuzz ignores larger files (its MAX_FILE).
    private const int MaxImportBytes = 1024 * 1024;
    private readonly HashSet<string> _exported = new(StringComparer.Ordinal);
    private int _nextId;

    public AflSyncDirectory(string root, string instance)
    {
        Root = Path.GetFullPath(root);
        Instance = instance;
        Directory.CreateDirectory(QueueDir);
        Directory.CreateDirectory(SyncedDir);
        // Resuming: our earlier exports keep their ids, and are not written twice.
        foreach (var file in Directory.EnumerateFiles(QueueDir))
        {
            if (QueueId(Path.GetFileName(file)) is not { } id)
                continue;
            _nextId = Math.Max(_nextId, id + 1);
            _exported.Add(CampaignDirectory.Hash(File.ReadAllBytes(file)));
        }
    }

    public string Root { get; }
    public string Instance { get; }
    public string QueueDir => Path.Combine(Root, Instance, "queue");
    private string SyncedDir => Path.Combine(Root, Instance, ".synced");

    /// <summary>Inputs written to our queue so far (this session and earlier ones).</summary>
    public int Exported => _exported.Count;

    /// <summary>Whether the input with this <see cref="CampaignDirectory.Hash"/> is in our queue (an import of it would only echo it back).</summary>
    public bool HasExported(string hash) => _exported.Contains(hash);

    /// <summary>Appends <paramref name="data"/> to our queue unless it is there already; returns whether it was written.</summary>
    public bool Export(byte[] data, double foundAtSeconds)
    {
        if (data.Length == 0 || !_exported.Add(CampaignDirectory.Hash(data)))
            return false; // afl skips empty files, and one copy is enough
        var name = string.Create(CultureInfo.InvariantCulture, $"id:{_nextId:D6},time:{(long)(foundAtSeconds * 1000)},op:agentkit");
        var temp = Path.Combine(QueueDir, "." + name + ".tmp");
        File.WriteAllBytes(temp, data);
        File.Move(temp, Path.Combine(QueueDir, name), overwrite: true);
        _nextId++;
        return true;
    }

    /// <summary>Reads the queue entries other instances added since the last call, in id order, each instance after its own mark.</summary>
    public List<(string Instance, byte[] Data)> ImportNew()
    {
        var imported = new List<(string, byte[])>();
        // afl's main instances first: their queue already holds what the whole group found.
        var instances = Directory.EnumerateDirectories(Root)
            .OrderBy(d => File.Exists(Path.Combine(d, "is_main_node")) ? 0 : 1).ThenBy(d => d, StringComparer.Ordinal);
        foreach (var instanceDir in instances)
        {
            var other = Path.GetFileName(instanceDir);
            var queue = Path.Combine(instanceDir, "queue");
            if (other.StartsWith('.') || other == Instance || !Directory.Exists(queue))
                continue;
            var mark = Path.Combine(SyncedDir, other);
            var next = ReadMark(mark);
            var entries = Directory.EnumerateFiles(queue)
                .Select(f => (File: f, Id: QueueId(Path.GetFileName(f))))
                .Where(e => e.Id >= next)
                .OrderBy(e => e.Id)
                .ToList();
            foreach (var (file, id) in entries)
            {
                next = id!.Value + 1;
                try
                {
                    var info = new FileInfo(file);
                    if (info.Length is > 0 and <= MaxImportBytes)
                        imported.Add((other, File.ReadAllBytes(file)));
                }
                catch (IOException)
                {
                    // the other instance removed or is rewriting it (afl trims entries in place): skip it, as afl does
                }
            }
            if (entries.Count > 0)
                WriteMark(mark, next);
        }
        return imported;
    }

    /// <summary>Whether <paramref name="name"/> is a usable afl instance name (afl-fuzz's own rule: letters, digits, '_' and '-').</summary>
    public static bool IsValidInstanceName(string name) => name.Length is > 0 and <= 32 && InstanceName().IsMatch(name);

    private static int? QueueId(string fileName)
    {
        var match = QueueName().Match(fileName);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    private static int ReadMark(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length == 4 ? (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static void WriteMark(string path, int next)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)next);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex(@"^id:(\d{6,9})(?:,|$)")]
    private static partial Regex QueueName();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex InstanceName();
}
