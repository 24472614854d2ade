using System.Globalization;
using System.Text.Json;
using AgentKit.Core.Tasks;

namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>
/// Reads a benchmark file in the agent-distillation paper's JSON shape:
/// <c>{"metadata":{"dataset_info":{"name":"MATH",…}}, "examples":[{"id","question","answer","dataset_name","split",…}]}</c>.
/// Ids may be strings or numbers, answers strings or numbers (<c>13138980.0</c> is read as written). The questions are
/// read by <see cref="TaskFileReader"/>, so one unusable example is skipped and reported rather than failing the file; an
/// example without a gold answer is skipped too, since it cannot be scored. The set's name and kind come from the
/// examples' <c>dataset_name</c> (the paper's metadata says "MATH" for its AIME and GSM-Hard files too), then the
/// metadata name, then the file name, unless the caller names the kind.
/// </summary>
public static class BenchmarkFile
{
    /// <summary>Reads the benchmark file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a benchmark file, holds no scorable question, or its kind cannot be told; the message says why.</exception>
    public static BenchmarkSet Read(string path, BenchmarkKind? kind = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Benchmark file not found: {path}", path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path), kind);
    }

    /// <summary>Parses benchmark file text; <paramref name="sourceName"/> names it in messages and is the last resort for the set's name.</summary>
    /// <exception cref="InvalidDataException">The text is not a benchmark file, holds no scorable question, or its kind cannot be told.</exception>
    public static BenchmarkSet Parse(string text, string sourceName = "benchmark.json", BenchmarkKind? kind = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text.TrimStart('\uFEFF'));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceName}: invalid JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("examples", out var examples))
                throw new InvalidDataException($"{sourceName}: not a benchmark file: expected an object {{\"metadata\":{{…}}, \"examples\":[…]}}.");
            if (examples.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{sourceName}: \"examples\" must be an array, got {Kind(examples)}.");
            if (examples.GetArrayLength() == 0)
                throw new InvalidDataException($"{sourceName}: \"examples\" is empty.");
            var (infoName, fold) = ReadMetadata(root, sourceName);
            var datasetName = MostCommon(examples, "dataset_name");
            var split = MostCommon(examples, "split") ?? fold;

            var read = TaskFileReader.Parse(text, sourceName);
            var positions = Positions(examples);
            var skipped = read.Skipped.ToList();
            var tasks = new List<Abstractions.Trajectories.TrajectoryTask>();
            foreach (var task in read.Tasks)
            {
                if (string.IsNullOrWhiteSpace(task.ReferenceAnswer))
                    skipped.Add(new SkippedTask(positions.GetValueOrDefault(task.Id), "no \"answer\" to score against"));
                else
                    tasks.Add(task);
            }
            if (tasks.Count == 0)
                throw new InvalidDataException($"{sourceName}: no example has both a question and an answer.");
            skipped.Sort((a, b) => a.Line.CompareTo(b.Line));

            var chosen = kind ?? InferKind(sourceName, datasetName, infoName);
            var name = datasetName is not null ? WithoutOwner(datasetName) : infoName ?? Path.GetFileNameWithoutExtension(sourceName);
            return new BenchmarkSet(name, chosen, infoName, split, tasks, skipped, sourceName);
        }
    }

    private static BenchmarkKind InferKind(string sourceName, params string?[] names)
    {
        foreach (var name in names.Append(Path.GetFileNameWithoutExtension(sourceName)))
            if (BenchmarkKinds.TryInfer(name, out var kind))
                return kind;
        var tried = string.Join(", ", names.Where(n => n is not null).Append(sourceName).Select(n => $"\"{n}\""));
        throw new InvalidDataException($"{sourceName}: cannot tell whether the set is QA or math from its names ({tried}); name the kind (qa or math).");
    }

    private static (string? Name, string? Fold) ReadMetadata(JsonElement root, string sourceName)
    {
        if (!root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind == JsonValueKind.Null)
            return (null, null);
        if (metadata.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{sourceName}: \"metadata\" must be an object, got {Kind(metadata)}.");
        if (!metadata.TryGetProperty("dataset_info", out var info) || info.ValueKind == JsonValueKind.Null)
            return (null, null);
        if (info.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{sourceName}: \"metadata.dataset_info\" must be an object, got {Kind(info)}.");
        return (OptionalString(info, "name", sourceName), OptionalString(info, "fold", sourceName));
    }

    private static string? OptionalString(JsonElement obj, string property, string sourceName)
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{sourceName}: \"metadata.dataset_info.{property}\" must be a string, got {Kind(value)}.");
        return string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString();
    }

    private static string? MostCommon(JsonElement examples, string property) =>
        examples.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()))
            .GroupBy(e => e.GetProperty(property).GetString()!)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();

    // The 1-based position of each example by the id TaskFileReader gives it (the id as written, or the position).
    private static Dictionary<string, int> Positions(JsonElement examples)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var position = 0;
        foreach (var example in examples.EnumerateArray())
        {
            position++;
            string? id = null;
            if (example.ValueKind == JsonValueKind.Object && example.TryGetProperty("id", out var value))
                id = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
            positions.TryAdd(id ?? position.ToString(CultureInfo.InvariantCulture), position);
        }
        return positions;
    }

    private static string WithoutOwner(string name) => name.Contains('/') ? name[(name.LastIndexOf('/') + 1)..] : name;

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
