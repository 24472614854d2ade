using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Writes safetensors files the way <c>safetensors.torch.save_file</c> does for transformers: an 8-byte little-endian
/// header length, a JSON header with <c>__metadata__ {"format": "pt"}</c> (transformers refuses a file without it) and
/// <c>dtype</c>/<c>shape</c>/<c>data_offsets</c> per tensor, padded with spaces to 8 bytes, then the raw data.
/// Tensors are converted one at a time, so memory stays at one tensor's copy.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>The safetensors dtype name of a storage type (F32, F16, BF16).</summary>
    /// <exception cref="ArgumentException">Another type.</exception>
    public static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        _ => throw new ArgumentException($"Safetensors export supports float32, float16 and bfloat16, not {type}.", nameof(type)),
    };

    /// <summary>Bytes one element of <paramref name="type"/> takes.</summary>
    public static int ElementSize(ScalarType type) => type == ScalarType.Float32 ? 4 : 2;

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the given order) stored as <paramref name="type"/> to <paramref name="path"/>,
    /// through a temporary sibling renamed when complete; returns the file's length.
    /// </summary>
    public static long Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, ScalarType type)
    {
        var dtype = DtypeName(type);
        var elementSize = ElementSize(type);
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var length = tensor.numel() * elementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray([.. tensor.shape.Select(s => (JsonNode)JsonValue.Create(s))]),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            file.Write(BitConverter.GetBytes((ulong)padded));
            file.Write(json);
            for (var i = json.Length; i < padded; i++)
                file.WriteByte((byte)' ');
            foreach (var (_, tensor) in tensors)
            {
                using var scope = NewDisposeScope();
                var stored = tensor.detach().cpu().to_type(type).contiguous();
                file.Write(stored.bytes);
            }
        }
        File.Move(temp, path, overwrite: true);
        return new FileInfo(path).Length;
    }
}
