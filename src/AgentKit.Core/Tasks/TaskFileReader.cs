using System.Globalization;
using System.Text.Json;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Tasks;

/// <summary>
/// Reads evaluation tasks from either format: JSONL with one <c>{"id","question","answer"}</c> object per
/// line, or the agent-distillation paper's JSON <c>{"examples":[{"question","answer",…}]}</c> (also a bare
/// array). Missing ids become the 1-based position; answers may be strings, numbers or lists (first item).
/// A line (or item) that cannot be a task — blank, not JSON, not an object, without a question, with an empty
/// question, or repeating an earlier id — is skipped and reported in <see cref="TaskReadResult.Skipped"/>, so one
/// bad line never costs the rest of the file. Only a file with no usable task at all is an error.
/// </summary>
public static class TaskFileReader
{
    /// <summary>Reads the tasks of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no usable task, or is a JSON document that does not parse; the message says why.</exception>
    public static TaskReadResult Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Task file not found: {path}", path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>Parses task file text.</summary>
    /// <exception cref="InvalidDataException">The text holds no usable task, or is a JSON document that does not parse.</exception>
    public static TaskReadResult Parse(string text, string sourceName = "tasks")
    {
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0)
            throw new InvalidDataException($"{sourceName}: the task file is empty.");
        var jsonl = !LooksLikeWholeDocument(trimmed);
        var candidates = jsonl ? ParseLines(text.TrimStart('\uFEFF')) : ParseDocument(trimmed, sourceName);
        var tasks = new List<TrajectoryTask>();
        var skipped = new List<SkippedTask>();
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (position, task, reason) in candidates)
        {
            if (task is null)
                skipped.Add(new SkippedTask(position, reason!));
            else if (firstSeen.TryGetValue(task.Id, out var first))
                skipped.Add(new SkippedTask(position, $"id \"{task.Id}\" already used by {(jsonl ? "line" : "example")} {first}"));
            else
            {
                firstSeen[task.Id] = position;
                tasks.Add(task);
            }
        }
        var result = new TaskReadResult(tasks, skipped, sourceName, jsonl);
        if (tasks.Count == 0)
            throw new InvalidDataException(skipped.Count == 0
                ? $"{sourceName}: no tasks found."
                : $"{sourceName}: no usable task: all {skipped.Count} {(jsonl ? "line" : "example")}(s) skipped ({skipped[0].Reason} at {(jsonl ? "line" : "example")} {skipped[0].Line}{(skipped.Count > 1 ? ", …" : "")})." +
                  (jsonl ? " Expected one {\"id\",\"question\",\"answer\"} object per line." : ""));
        return result;
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

    /// <summary>A position in the file and either its task or why there is none.</summary>
    private readonly record struct Candidate(int Position, TrajectoryTask? Task, string? Reason);

    private static List<Candidate> ParseDocument(string text, string sourceName)
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
            var candidates = new List<Candidate>();
            var position = 0;
            foreach (var item in items.EnumerateArray())
            {
                position++;
                candidates.Add(ReadTask(item, position, position));
            }
            return candidates;
        }
    }

    private static List<Candidate> ParseLines(string text)
    {
        var candidates = new List<Candidate>();
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length; // Split leaves "" after a final newline
        var objects = 0;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                candidates.Add(new Candidate(i + 1, null, "blank line"));
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                candidates.Add(ReadTask(doc.RootElement, ++objects, i + 1));
            }
            catch (JsonException ex)
            {
                candidates.Add(new Candidate(i + 1, null, $"invalid JSON ({Shorten(ex.Message)})"));
            }
        }
        return candidates;
    }

    /// <summary>The task in <paramref name="item"/>; <paramref name="number"/> is its id when it has none.</summary>
    private static Candidate ReadTask(JsonElement item, int number, int position)
    {
        if (item.ValueKind != JsonValueKind.Object)
            return new Candidate(position, null, $"expected an object with \"question\" and \"answer\", got {item.ValueKind.ToString().ToLowerInvariant()}");
        var question = Text(item, "question") ?? Text(item, "query") ?? Text(item, "problem");
        if (question is null)
            return new Candidate(position, null, "missing \"question\"");
        if (string.IsNullOrWhiteSpace(question))
            return new Candidate(position, null, "\"question\" is empty");
        var id = Text(item, "id") ?? Text(item, "_id") ?? number.ToString(CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(id))
            return new Candidate(position, null, "\"id\" is empty");
        var answer = Text(item, "answer") ?? Text(item, "gold") ?? Text(item, "gold_answer");
        return new Candidate(position, new TrajectoryTask(id, question, answer), null);
    }

    private static string Shorten(string message) => message.Length <= 120 ? message : message[..120] + "…";

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
