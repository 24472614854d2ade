using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Hosting.Evaluation;

/// <summary>
/// Saves a <see cref="BenchmarkReport"/> as indented JSON (snake_case names, enums as lower-case words, nulls omitted)
/// and loads it back, so runs can be compared later without running them again.
/// </summary>
public static class BenchmarkReportFile
{
    /// <summary>The serializer settings of the file.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> (its folder is created).</summary>
    public static void Save(BenchmarkReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(report, Options));
    }

    /// <summary>Reads a report saved by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a saved benchmark report.</exception>
    public static BenchmarkReport Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Benchmark results not found: {path}", path);
        try
        {
            return JsonSerializer.Deserialize<BenchmarkReport>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{Path.GetFileName(path)}: empty benchmark results.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: not benchmark results: {ex.Message}", ex);
        }
    }
}
