using System.Globalization;
using System.Text.Json;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Tasks;

/// <summary>
/// Reads evaluation tasks from either format: JSONL with one <c>{"id","question","answer"}</c> object per
/// line, or the agent-distillation paper's JSON <c>{"examples":[{"question","answer",…}]}</c> (also a bare
/// array). Missing ids become the 1-based position; answers may be strings, numbers or lists (first item).
/// </summary>
public static class TaskFileReader
{
    /// <summary>Reads the tasks of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a task file; the message names the line or item.</exception>
    public static IReadOnlyList<TrajectoryTask> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Task file not found: {path}", path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>Parses task file text.</summary>
    /// <exception cref="InvalidDataException">The text is not a task file.</exception>
    public static IReadOnlyList<TrajectoryTask> Parse(string text, string sourceName = "tasks")
    {
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0)
            throw new InvalidDataException($"{sourceName}: the task file is empty.");
        var tasks = LooksLikeWholeDocument(trimmed) ? ParseDocument(trimmed, sourceName) : ParseLines(text, sourceName);
        if (tasks.Count == 0)
            throw new InvalidDataException($"{sourceName}: no tasks found.");
        var duplicate = tasks.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"{sourceName}: task id \"{duplicate.Key}\" appears {duplicate.Count()} times.");
        return tasks;
    }

    // A JSON document (paper format or array) rather than JSONL: starts with '[' or is one object with "examples".
    private static bool LooksLikeWholeDocument(string trimmed)
    {
        if (trimmed[0] == '[')
            return true;
        try
        {
            using var doc = JsonDocument.Parse(trimmed);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("examples", out _);
        }
        catch (JsonException)
        {
            return false; // several objects, one per line
        }
    }

    private static List<TrajectoryTask> ParseDocument(string text, string sourceName)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceName}: invalid JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("examples");
            if (items.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{sourceName}: \"examples\" must be an array.");
            var tasks = new List<TrajectoryTask>();
            var position = 0;
            foreach (var item in items.EnumerateArray())
                tasks.Add(ReadTask(item, ++position, $"{sourceName}: example {position}"));
            return tasks;
        }
    }

    private static List<TrajectoryTask> ParseLines(string text, string sourceName)
    {
        var tasks = new List<TrajectoryTask>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                tasks.Add(ReadTask(doc.RootElement, tasks.Count + 1, $"{sourceName}:{i + 1}"));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{sourceName}:{i + 1}: invalid JSON ({ex.Message}). Expected one {{\"id\",\"question\",\"answer\"}} object per line.", ex);
            }
        }
        return tasks;
    }

    private static TrajectoryTask ReadTask(JsonElement item, int position, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: expected an object with \"question\" and \"answer\".");
        var question = Text(item, "question") ?? Text(item, "query") ?? Text(item, "problem");
        if (string.IsNullOrWhiteSpace(question))
            throw new InvalidDataException($"{where}: missing \"question\".");
        var id = Text(item, "id") ?? Text(item, "_id") ?? position.ToString(CultureInfo.InvariantCulture);
        var answer = Text(item, "answer") ?? Text(item, "gold") ?? Text(item, "gold_answer");
        return new TrajectoryTask(id, question, answer);
    }

    private static string? Text(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Array when value.GetArrayLength() > 0 => Text(value[0]),
            _ => null,
        };
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
