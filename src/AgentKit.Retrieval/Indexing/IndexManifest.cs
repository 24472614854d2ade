using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// Written next to the Lucene files of every index AgentKit builds (<see cref="FileName"/>), so later stages
/// can see what the index holds and how it was made without opening it.
/// </summary>
/// <param name="FormatVersion">Layout version of AgentKit indexes (fields and analysis).</param>
/// <param name="Documents">Documents in the index.</param>
/// <param name="Corpus">Name of the corpus the index was built from.</param>
/// <param name="CreatedUtc">When the build finished.</param>
/// <param name="Analyzer">Analyzer used for titles, texts and queries.</param>
/// <param name="Similarity">Scoring function.</param>
public sealed record IndexManifest(
    int FormatVersion,
    long Documents,
    string Corpus,
    DateTimeOffset CreatedUtc,
    string Analyzer,
    string Similarity)
{
    /// <summary>File name of the manifest inside the index directory.</summary>
    public const string FileName = "agentkit-index.json";

    /// <summary>The layout version this build of AgentKit writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Reads the manifest of <paramref name="indexDirectory"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The manifest exists but cannot be read.</exception>
    public static IndexManifest? TryRead(string indexDirectory)
    {
        var path = Path.Combine(indexDirectory, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), IndexManifestJson.Default.IndexManifest)
                   ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid index manifest: {ex.Message}", ex);
        }
    }

    internal void Write(string indexDirectory) =>
        File.WriteAllText(Path.Combine(indexDirectory, FileName), JsonSerializer.Serialize(this, IndexManifestJson.Default.IndexManifest));

    [JsonIgnore]
    internal bool IsCurrent => FormatVersion == CurrentFormatVersion;
}

/// <summary>Source-generated serialisation, so reading an index works in trimmed and AOT-compiled apps too.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IndexManifest))]
internal sealed partial class IndexManifestJson : JsonSerializerContext;
