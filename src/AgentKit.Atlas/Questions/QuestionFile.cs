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
