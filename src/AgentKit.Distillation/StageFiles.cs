using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Distillation;

/// <summary>File helpers the stages share: hashes for parameters, deletion of outputs, figures to and from JSON.</summary>
internal static class StageFiles
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Lower-case hex SHA-256 of a text's UTF-8 bytes.</summary>
    public static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Deletes a file or folder if it exists.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }

    /// <summary>Figures as a JSON node for the ledger.</summary>
    public static JsonNode ToNode<T>(T figures) => JsonSerializer.SerializeToNode(figures, s_json)!;

    /// <summary>Figures read back from the ledger.</summary>
    public static T FromNode<T>(JsonNode node) => node.Deserialize<T>(s_json)
        ?? throw new InvalidDataException($"the ledger holds no {typeof(T).Name}.");
}
