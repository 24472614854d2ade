using System.Text.Json;

namespace AgentKit.Fuzzing.Engine;

/// <summary>
/// The campaign on disk: <c>corpus/</c> (inputs that found coverage), <c>crashes/ID</c> + <c>ID.json</c>, <c>hangs/</c>,
/// <c>stats.json</c>, <c>plot_data.csv</c>, <c>edges.png</c> and <c>target.json</c>. Everything is written as it is found,
/// so an interrupted campaign loses nothing and resumes from its corpus.
/// </summary>
internal sealed class CampaignDirectory
{
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public CampaignDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(CorpusDir);
        Directory.CreateDirectory(CrashesDir);
        Directory.CreateDirectory(HangsDir);
    }

    public string Root { get; }
    public string CorpusDir => Path.Combine(Root, "corpus");
    public string CrashesDir => Path.Combine(Root, "crashes");
    public string HangsDir => Path.Combine(Root, "hangs");
    public string ManifestPath => Path.Combine(Root, "target.json");
    public string StatsPath => Path.Combine(Root, "stats.json");
    public string PlotDataPath => Path.Combine(Root, "plot_data.csv");
    public string PlotPath => Path.Combine(Root, "edges.png");

    public static string Hash(ReadOnlySpan<byte> data) => ContentHash.Of(data);

    public IEnumerable<byte[]> ReadCorpus() =>
        Directory.EnumerateFiles(CorpusDir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);

    public void SaveCorpus(byte[] data) => WriteAtomically(Path.Combine(CorpusDir, Hash(data)), data);

    public string SaveCrash(string id, byte[] data, CrashRecord record)
    {
        var file = Path.Combine(CrashesDir, id);
        WriteAtomically(file, data);
        File.WriteAllText(file + ".json", JsonSerializer.Serialize(record, Json));
        return file;
    }

    public string SaveHang(byte[] data)
    {
        var file = Path.Combine(HangsDir, Hash(data));
        WriteAtomically(file, data);
        return file;
    }

    public IEnumerable<CrashRecord> ReadCrashes() =>
        Directory.EnumerateFiles(CrashesDir, "*.json").Select(f =>
        {
            try
            {
                return JsonSerializer.Deserialize<CrashRecord>(File.ReadAllText(f), Json);
            }
            catch (JsonException)
            {
                return null; // a half-written record from a killed run: the input file is still there
            }
        }).OfType<CrashRecord>();

    public int CountHangs() => Directory.EnumerateFiles(HangsDir).Count();

    /// <summary>Reads the execs of earlier sessions from <c>stats.json</c> (0 when absent or unreadable).</summary>
    public long PreviousExecs()
    {
        try
        {
            return File.Exists(StatsPath) && JsonDocument.Parse(File.ReadAllText(StatsPath)).RootElement.TryGetProperty("total_execs", out var v) ? v.GetInt64() : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static void WriteAtomically(string path, byte[] data)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, data);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>The sidecar of a saved crash (<c>crashes/ID.json</c>).</summary>
internal sealed record CrashRecord(string Id, string Kind, string Signature, string? ExceptionType, string? Message, string? StackTrace, int? ExitCode, int OriginalBytes, int MinimizedBytes, double FoundAtSeconds);
