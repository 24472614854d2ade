using AgentKit.Models.Gguf;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>Copies a real GGUF with one thing changed (a metadata value, a tensor's storage, a tensor dropped), for refusal tests.</summary>
internal static class GgufRewrite
{
    /// <summary>
    /// Writes <paramref name="source"/> to a new file: <paramref name="metadata"/> may replace a value (null keeps it),
    /// <paramref name="tensor"/> may replace a tensor's type and bytes, or drop it with a null type.
    /// </summary>
    public static string Copy(string source, Func<string, GgufValue, GgufValue>? metadata = null,
        Func<GgufTensorInfo, byte[], (GgmlType? Type, byte[] Bytes)>? tensor = null)
    {
        var file = GgufReader.Read(source);
        var writer = new GgufWriter();
        foreach (var (key, value) in file.Metadata)
            writer.Add(key, metadata?.Invoke(key, value) ?? value);
        using var stream = File.OpenRead(source);
        foreach (var info in file.Tensors)
        {
            var bytes = new byte[info.ByteSize];
            stream.Position = file.DataOffset + info.Offset;
            stream.ReadExactly(bytes);
            var (type, data) = tensor?.Invoke(info, bytes) ?? (info.Type, bytes);
            if (type is { } kept)
                writer.AddRawTensor(info.Name, info.Dimensions, kept, data);
        }
        var path = Path.Combine(TinyFixtures.TempDir(), "rewritten.gguf");
        writer.Write(path);
        return path;
    }
}
