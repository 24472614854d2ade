using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Fuzzing.Shared;

/// <summary>
/// What a worker loads: the folder of instrumented assemblies (with their dependencies), the assemblies that hold the
/// harness, and the harness itself. Written as <c>target.json</c> into the campaign directory, so replay and afl reuse it.
/// </summary>
internal sealed record TargetManifest(string Directory, IReadOnlyList<string> Assemblies, HarnessSpec Harness)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static TargetManifest Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"target manifest not found: {path}", path);
        return JsonSerializer.Deserialize<TargetManifest>(File.ReadAllText(path), Json)
               ?? throw new InvalidDataException($"target manifest is empty: {path}");
    }
}
