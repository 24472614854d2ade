using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.TestUtils;

/// <summary>Storage type of a tensor in a safetensors file written by <see cref="PeftAdapterFiles"/>.</summary>
public enum SafetensorsType
{
    /// <summary>32-bit float.</summary>
    F32,

    /// <summary>IEEE half.</summary>
    F16,

    /// <summary>bfloat16 (the top half of a float32; values given must be exact in it).</summary>
    BF16,
}

/// <summary>One tensor: row-major values and shape.</summary>
/// <param name="Values">Row-major values.</param>
/// <param name="Shape">The shape.</param>
public sealed record TensorData(float[] Values, long[] Shape);

/// <summary>
/// Writes an adapter folder byte for byte the way PEFT's <c>save_pretrained</c> does, without torch: an
/// <c>adapter_config.json</c> with PEFT's keys and an <c>adapter_model.safetensors</c> (8-byte little-endian header
/// length, a JSON header with <c>__metadata__ {"format":"pt"}</c>, <c>dtype</c>/<c>shape</c>/<c>data_offsets</c>
/// per tensor, space padding to 8 bytes, then the raw little-endian data). Independent of the reader under test.
/// </summary>
public static class PeftAdapterFiles
{
    /// <summary>The config PEFT 0.13 writes for a LoRA adapter; callers change keys before writing.</summary>
    public static JsonObject Config(int rank, double alpha, params string[] targetModules) => new()
    {
        ["alpha_pattern"] = new JsonObject(), ["auto_mapping"] = null, ["base_model_name_or_path"] = "tiny-llama", ["bias"] = "none",
        ["fan_in_fan_out"] = false, ["inference_mode"] = true, ["init_lora_weights"] = true, ["layer_replication"] = null,
        ["layers_pattern"] = null, ["layers_to_transform"] = null, ["loftq_config"] = new JsonObject(), ["lora_alpha"] = alpha,
        ["lora_dropout"] = 0.05, ["megatron_config"] = null, ["megatron_core"] = "megatron.core", ["modules_to_save"] = null,
        ["peft_type"] = "LORA", ["r"] = rank, ["rank_pattern"] = new JsonObject(), ["revision"] = null,
        ["target_modules"] = new JsonArray([.. targetModules.Select(m => (JsonNode)JsonValue.Create(m))]),
        ["task_type"] = "CAUSAL_LM", ["use_dora"] = false, ["use_rslora"] = false,
    };

    /// <summary>Writes <paramref name="config"/> and <paramref name="tensors"/> (PEFT names) into <paramref name="directory"/>.</summary>
    public static void Write(string directory, JsonObject config, IReadOnlyDictionary<string, TensorData> tensors, SafetensorsType type = SafetensorsType.F32)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "adapter_config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        WriteSafetensors(Path.Combine(directory, "adapter_model.safetensors"), tensors, type);
    }

    /// <summary>Writes one safetensors file.</summary>
    public static void WriteSafetensors(string path, IReadOnlyDictionary<string, TensorData> tensors, SafetensorsType type)
    {
        var elementSize = type == SafetensorsType.F32 ? 4 : 2;
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (tensor.Values.Length != tensor.Shape.Aggregate(1L, (a, b) => a * b))
                throw new ArgumentException($"{name}: {tensor.Values.Length} values do not fill shape [{string.Join(", ", tensor.Shape)}].");
            var begin = data.Length;
            foreach (var value in tensor.Values)
                WriteElement(data, value, type, elementSize);
            header[name] = new JsonObject
            {
                ["dtype"] = type.ToString(),
                ["shape"] = new JsonArray([.. tensor.Shape.Select(s => (JsonNode)JsonValue.Create(s))]),
                ["data_offsets"] = new JsonArray(begin, data.Length),
            };
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(headerBytes);
        file.Write(Enumerable.Repeat((byte)' ', padded - headerBytes.Length).ToArray());
        data.Position = 0;
        data.CopyTo(file);
    }

    private static void WriteElement(Stream stream, float value, SafetensorsType type, int size)
    {
        Span<byte> bytes = stackalloc byte[4];
        switch (type)
        {
            case SafetensorsType.F32:
                BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
                break;
            case SafetensorsType.F16:
                BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value);
                break;
            default:
                var bits = BitConverter.SingleToUInt32Bits(value);
                if ((bits & 0xFFFF) != 0)
                    throw new ArgumentException($"{value} is not exact in bfloat16.");
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(bits >> 16));
                break;
        }
        stream.Write(bytes[..size]);
    }
}
