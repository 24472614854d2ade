using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentKit.Atlas.Questions;

/// <summary>Reads and writes question JSONL files (snake_case keys, one question per line).</summary>
public static class QuestionFile
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="questions"/> to <paramref name="path"/> (UTF-8, LF).</summary>
    public static void Write(IEnumerable<AtlasQuestion> questions, string path)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var sb = new StringBuilder();
        foreach (var q in questions)
            sb.Append(JsonSerializer.Serialize(q, s_json)).Append('\n');
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    /// <summary>
    /// The questions of <paramref name="path"/> a run works on: only those of <paramref name="split"/> when given
    /// (<see cref="QuestionSplits.Train"/> or <see cref="QuestionSplits.Test"/>), then the first <paramref name="limit"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The file does not exist, or nothing is selected.</exception>
    /// <exception cref="InvalidDataException">A line is not a question.</exception>
    public static IReadOnlyList<AtlasQuestion> Select(string path, string? split = null, int? limit = null)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"question file not found: {path}");
        IEnumerable<AtlasQuestion> selected = Read(path);
        if (split is not null)
            selected = selected.Where(q => q.Split == split);
        if (limit is { } n)
            selected = selected.Take(n);
        var questions = selected.ToList();
        return questions.Count > 0 ? questions : throw new ArgumentException("no questions selected.");
    }

    /// <summary>Reads the questions of <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a question (the message names the line).</exception>
    public static IReadOnlyList<AtlasQuestion> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Question file not found: {path}", path);
        var questions = new List<AtlasQuestion>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                questions.Add(JsonSerializer.Deserialize<AtlasQuestion>(line, s_json)
                    ?? throw new InvalidDataException($"{path}:{lineNumber}: expected a question object, got null."));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a question ({ex.Message}). Expected {{\"id\",\"question\",\"answer\",\"family\",\"split\",\"entities\",\"kind\",\"template\",\"params\"}}.", ex);
            }
        }
        return questions;
    }
}
