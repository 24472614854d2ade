using System.Text.Json;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>Frontier questions as JSONL: one <see cref="FrontierQuestion"/> per line, snake_case fields.</summary>
public static class FrontierQuestionFile
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes <paramref name="questions"/> to <paramref name="path"/>, one JSON object a line.</summary>
    public static void Write(string path, IEnumerable<FrontierQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        File.WriteAllLines(path, questions.Select(q => JsonSerializer.Serialize(q, Json)));
    }

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">A line is not a question.</exception>
    public static List<FrontierQuestion> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select((line, i) =>
        {
            try
            {
                return JsonSerializer.Deserialize<FrontierQuestion>(line, Json) ?? throw new InvalidDataException($"{path}:{i + 1}: null question");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{i + 1}: not a frontier question ({e.Message})", e);
            }
        }).ToList();
}
