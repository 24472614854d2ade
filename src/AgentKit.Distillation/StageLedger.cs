using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Distillation;

/// <summary>What <c>stages.json</c> remembers about one stage.</summary>
/// <param name="Status"><see cref="StageLedger.Running"/> from the moment it starts, <see cref="StageLedger.Done"/> once its output is complete.</param>
/// <param name="Parameters">The recipe settings the output was made with.</param>
/// <param name="Results">The stage's figures, once done.</param>
/// <param name="Seconds">Wall time of the run that finished it.</param>
internal sealed record StageRecord(string Status, JsonObject Parameters, JsonNode? Results = null, double? Seconds = null);

/// <summary>
/// <c>stages.json</c> in the work folder: each stage's parameters, written before the stage starts (so a
/// half-finished output is also tied to its settings) and its figures once it is done. Rewritten
/// atomically after every change, so an interrupted run never leaves a torn ledger.
/// </summary>
internal sealed class StageLedger
{
    /// <summary>File name inside the work folder.</summary>
    public const string FileName = "stages.json";

    /// <summary>Status of a stage that started and has not finished.</summary>
    public const string Running = "running";

    /// <summary>Status of a stage whose output is complete.</summary>
    public const string Done = "done";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly string _path;
    private readonly Dictionary<string, StageRecord> _stages;

    private StageLedger(string path, Dictionary<string, StageRecord> stages)
    {
        _path = path;
        _stages = stages;
    }

    /// <summary>Opens the ledger of <paramref name="workFolder"/> (empty when the file does not exist yet).</summary>
    public static StageLedger Open(string workFolder)
    {
        var path = Path.Combine(workFolder, FileName);
        if (!File.Exists(path))
            return new StageLedger(path, []);
        try
        {
            var stages = JsonSerializer.Deserialize<Dictionary<string, StageRecord>>(File.ReadAllText(path), s_json)
                ?? throw new JsonException("null");
            return new StageLedger(path, stages);
        }
        catch (JsonException ex)
        {
            throw new DistillConfigurationException($"{path} is corrupt ({ex.Message}); delete the work folder to start over.", ex);
        }
    }

    /// <summary>The record of <paramref name="stage"/>, or null.</summary>
    public StageRecord? Get(string stage) => _stages.GetValueOrDefault(stage);

    /// <summary>Records that <paramref name="stage"/> starts with <paramref name="parameters"/>.</summary>
    public void Start(string stage, JsonObject parameters) => Set(stage, new StageRecord(Running, (JsonObject)parameters.DeepClone()));

    /// <summary>Records that <paramref name="stage"/> finished with <paramref name="results"/>.</summary>
    public void Finish(string stage, JsonNode results, double seconds) =>
        Set(stage, _stages[stage] with { Status = Done, Results = results.DeepClone(), Seconds = Math.Round(seconds, 2) });

    /// <summary>Forgets <paramref name="stage"/> (its output is about to be remade).</summary>
    public void Forget(string stage)
    {
        if (_stages.Remove(stage))
            Save();
    }

    private void Set(string stage, StageRecord record)
    {
        _stages[stage] = record;
        Save();
    }

    private void Save()
    {
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_stages, s_json));
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>
    /// The settings that differ between what a stage's output was made with and what the recipe asks for now,
    /// as <c>key: recorded → recipe</c> lines (nested keys joined with dots); empty when they agree.
    /// </summary>
    public static IReadOnlyList<string> Differences(JsonObject recorded, JsonObject wanted)
    {
        var differences = new List<string>();
        Compare(recorded, wanted, "", differences);
        return differences;
    }

    private static void Compare(JsonNode? recorded, JsonNode? wanted, string key, List<string> differences)
    {
        if (recorded is JsonObject a && wanted is JsonObject b)
        {
            foreach (var name in a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)))
                Compare(a[name], b[name], key.Length == 0 ? name : $"{key}.{name}", differences);
            return;
        }
        if (!JsonNode.DeepEquals(recorded, wanted))
            differences.Add($"{key}: {Show(recorded)} → {Show(wanted)}");
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "(not set)";
}
