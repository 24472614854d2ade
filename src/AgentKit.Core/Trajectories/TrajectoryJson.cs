using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>The JSON form of trajectory files: one compact object per line, snake_case names, enums as snake_case strings.</summary>
public static class TrajectoryJson
{
    /// <summary>Serializer options for trajectory and export lines.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>One record as a single line (no newline inside: line breaks in strings are escaped).</summary>
    public static string Serialize(TrajectoryRecord record) => JsonSerializer.Serialize(record, Options);

    /// <summary>Reads one record line.</summary>
    /// <exception cref="JsonException">The line is not a valid record.</exception>
    public static TrajectoryRecord Deserialize(string line) =>
        JsonSerializer.Deserialize<TrajectoryRecord>(line, Options) ?? throw new JsonException("The line is 'null', not a trajectory record.");
}
