using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AgentKit.Models.Gguf;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Reads the data of one GGUF tensor as float32: F32 as is, F16 and BF16 widened, Q8_0 dequantised (each block of 32
/// is an f16 scale and 32 signed bytes). Any other storage type is refused by <see cref="RequireSupported"/> before
/// any data is read.
/// </summary>
internal static class GgufTensorData
{
    private const int Q8Block = 32;
    private const int Q8BlockBytes = 34;

    /// <summary>Storage types the import reads.</summary>
    public static IReadOnlySet<GgmlType> Supported { get; } = new HashSet<GgmlType> { GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0 };

    /// <summary>Throws <see cref="NotSupportedException"/> naming the first tensor stored in a type the import cannot read.</summary>
    public static void RequireSupported(GgufFile file, string path)
    {
        foreach (var tensor in file.Tensors)
        {
            if (!Supported.Contains(tensor.Type))
                throw new NotSupportedException(
                    $"Cannot import '{path}': tensor '{tensor.Name}' is stored as {tensor.Type}; the import reads F32, F16, BF16 and Q8_0 (convert the model to one of them with llama.cpp first).");
            if (tensor.ByteSize > Array.MaxLength || tensor.ElementCount > Array.MaxLength)
                throw new NotSupportedException($"Cannot import '{path}': tensor '{tensor.Name}' has {tensor.ElementCount} elements, more than the import reads in one piece.");
        }
    }

    /// <summary>The values of <paramref name="tensor"/>, innermost dimension fastest.</summary>
    public static float[] Read(Stream stream, GgufFile file, GgufTensorInfo tensor)
    {
        var bytes = new byte[tensor.ByteSize];
        stream.Position = file.DataOffset + tensor.Offset;
        stream.ReadExactly(bytes);
        var values = new float[tensor.ElementCount];
        switch (tensor.Type)
        {
            case GgmlType.F32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                break;
            case GgmlType.F16:
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                for (var i = 0; i < values.Length; i++)
                    values[i] = (float)halves[i];
                break;
            case GgmlType.BF16:
                // bfloat16 is the upper half of a float32.
                var words = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (var i = 0; i < values.Length; i++)
                    values[i] = BitConverter.Int32BitsToSingle(words[i] << 16);
                break;
            case GgmlType.Q8_0:
                for (var block = 0; block < values.Length / Q8Block; block++)
                {
                    var at = block * Q8BlockBytes;
                    var scale = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(at, 2));
                    for (var j = 0; j < Q8Block; j++)
                        values[block * Q8Block + j] = scale * (sbyte)bytes[at + 2 + j];
                }
                break;
            default:
                throw new NotSupportedException($"Tensor '{tensor.Name}' is stored as {tensor.Type}, which the import does not read.");
        }
        return values;
    }
}
