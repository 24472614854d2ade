using System.Runtime.InteropServices;
using System.Text;

namespace AgentKit.Models.Gguf;

/// <summary>
/// Writes GGUF version 3 files: typed metadata, tensor infos and tensor data, each tensor aligned to
/// <c>general.alignment</c> (32 when the key is absent). Float tensors are stored as f32 or f16; data already in
/// another ggml layout can be added as raw bytes. Tensor data may be supplied lazily so large models are
/// produced one tensor at a time instead of all in memory.
/// </summary>
/// <example>
/// <code>
/// new GgufWriter()
///     .Add("general.architecture", GgufValue.String("llama"))
///     .AddTensor("output_norm.weight", [64], GgmlType.F32, norm)
///     .Write("model.gguf");
/// </code>
/// </example>
public sealed class GgufWriter
{
    /// <summary>GGUF format version this writer produces.</summary>
    public const uint Version = 3;

    /// <summary>Alignment used when <c>general.alignment</c> is not set.</summary>
    public const int DefaultAlignment = 32;

    /// <summary>Longest tensor name ggml accepts (its buffer is 64 bytes including the terminator).</summary>
    public const int MaxTensorNameBytes = 63;

    internal const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    private const int MaxDimensions = 4;

    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<PendingTensor> _tensors = [];

    /// <summary>Metadata added so far, in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata => _metadata;

    /// <summary>Adds a metadata key/value. Keys must be unique and non-empty.</summary>
    public GgufWriter Add(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_metadata.Any(kv => kv.Key == key))
            throw new ArgumentException($"Metadata key '{key}' was already added.", nameof(key));
        if (key == "general.alignment")
        {
            if (value.Type != GgufValueType.UInt32 || (uint)value.Value is 0 or > 1 << 20 || !uint.IsPow2((uint)value.Value))
                throw new ArgumentException("general.alignment must be a UInt32 power of two.", nameof(value));
        }
        _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Adds a float tensor stored as <paramref name="type"/> (<see cref="GgmlType.F32"/> or <see cref="GgmlType.F16"/>).</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="dimensions">Sizes, innermost first (a torch <c>[out, in]</c> weight is <c>[in, out]</c>).</param>
    /// <param name="type">Storage type.</param>
    /// <param name="data">Row-major data, innermost dimension fastest.</param>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<float> data)
    {
        var expected = CheckTensor(name, dimensions, type);
        if (data.Length != expected)
            throw new ArgumentException($"Tensor '{name}' has {data.Length} values but its dimensions need {expected}.", nameof(data));
        return AddTensor(name, dimensions, type, () => data);
    }

    /// <summary>
    /// Adds a float tensor whose data is produced only when the file is written (and may then be dropped),
    /// so a writer can describe a model larger than comfortable to hold in memory twice.
    /// </summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, Func<ReadOnlyMemory<float>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var expected = CheckTensor(name, dimensions, type);
        if (type is not (GgmlType.F32 or GgmlType.F16))
            throw new ArgumentException($"Float data can be stored as F32 or F16, not {type}; add quantised data with {nameof(AddRawTensor)}.", nameof(type));
        _tensors.Add(new PendingTensor(name, [.. dimensions], type, stream =>
        {
            var values = data();
            if (values.Length != expected)
                throw new InvalidOperationException($"Tensor '{name}' produced {values.Length} values but its dimensions need {expected}.");
            WriteFloats(stream, values.Span, type);
        }));
        return this;
    }

    /// <summary>Adds a tensor whose bytes are already in the layout of <paramref name="type"/> (e.g. BF16 or a quantisation).</summary>
    public GgufWriter AddRawTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<byte> bytes)
    {
        var elements = CheckTensor(name, dimensions, type);
        var expected = GgmlTypeInfo.ByteSize(type, elements);
        if (bytes.Length != expected)
            throw new ArgumentException($"Tensor '{name}' has {bytes.Length} bytes but {elements} {type} elements take {expected}.", nameof(bytes));
        _tensors.Add(new PendingTensor(name, [.. dimensions], type, stream => stream.Write(bytes.Span)));
        return this;
    }

    /// <summary>Writes the file atomically: to a temporary sibling first, then renamed over <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                WriteTo(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Writes the whole file to <paramref name="stream"/> (which need not be seekable).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var alignment = Alignment;
        var counting = new CountingStream(stream);
        using var writer = new BinaryWriter(counting, Encoding.UTF8, leaveOpen: true);

        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value);
        }

        long offset = 0;
        foreach (var tensor in _tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Dimensions.Length);
            foreach (var dim in tensor.Dimensions)
                writer.Write((ulong)dim);
            writer.Write((uint)tensor.Type);
            writer.Write((ulong)offset);
            offset = AlignUp(offset + tensor.ByteSize, alignment);
        }
        writer.Flush();
        Pad(counting, alignment);

        var dataStart = counting.Position;
        foreach (var tensor in _tensors)
        {
            var before = counting.Position;
            tensor.WriteData(counting);
            if (counting.Position - before != tensor.ByteSize)
                throw new InvalidOperationException($"Tensor '{tensor.Name}' wrote {counting.Position - before} bytes, expected {tensor.ByteSize}.");
            Pad(counting, alignment);
        }
        if (counting.Position - dataStart != offset)
            throw new InvalidOperationException("Tensor data size does not match the offsets in the header.");
        counting.Flush();
    }

    private int Alignment =>
        _metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value is { } value ? (int)(uint)value.Value : DefaultAlignment;

    private long CheckTensor(string name, IReadOnlyList<long> dimensions, GgmlType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (Encoding.UTF8.GetByteCount(name) > MaxTensorNameBytes)
            throw new ArgumentException($"Tensor name '{name}' is longer than {MaxTensorNameBytes} bytes.", nameof(name));
        if (_tensors.Any(t => t.Name == name))
            throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));
        if (dimensions.Count is < 1 or > MaxDimensions)
            throw new ArgumentException($"Tensor '{name}' has {dimensions.Count} dimensions; GGUF allows 1 to {MaxDimensions}.", nameof(dimensions));
        if (dimensions.Any(d => d < 1))
            throw new ArgumentException($"Tensor '{name}' has a dimension below 1: [{string.Join(", ", dimensions)}].", nameof(dimensions));
        if (!GgmlTypeInfo.IsKnown(type))
            throw new ArgumentException($"Unknown ggml type {(uint)type}.", nameof(type));
        if (dimensions[0] % GgmlTypeInfo.BlockSize(type) != 0)
            throw new ArgumentException($"Tensor '{name}': the innermost dimension {dimensions[0]} is not a multiple of the {type} block size {GgmlTypeInfo.BlockSize(type)}.", nameof(dimensions));
        return dimensions.Aggregate(1L, (product, d) => checked(product * d));
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value)
    {
        switch (value.Type)
        {
            case GgufValueType.Array:
                writer.Write((uint)value.ElementType!.Value);
                var items = (System.Array)value.Value;
                writer.Write((ulong)items.Length);
                foreach (var item in items)
                {
                    // An array element of an array of arrays is written as its own (type, count, items).
                    if (item is GgufValue nested)
                        WriteValue(writer, nested);
                    else
                        WriteScalar(writer, item, value.ElementType!.Value);
                }
                break;
            default:
                WriteScalar(writer, value.Value, value.Type);
                break;
        }
    }

    private static void WriteScalar(BinaryWriter writer, object item, GgufValueType type)
    {
        switch (type)
        {
            case GgufValueType.UInt8: writer.Write((byte)item); break;
            case GgufValueType.Int8: writer.Write((sbyte)item); break;
            case GgufValueType.UInt16: writer.Write((ushort)item); break;
            case GgufValueType.Int16: writer.Write((short)item); break;
            case GgufValueType.UInt32: writer.Write((uint)item); break;
            case GgufValueType.Int32: writer.Write((int)item); break;
            case GgufValueType.Float32: writer.Write((float)item); break;
            case GgufValueType.Bool: writer.Write((byte)((bool)item ? 1 : 0)); break;
            case GgufValueType.String: WriteString(writer, (string)item); break;
            case GgufValueType.UInt64: writer.Write((ulong)item); break;
            case GgufValueType.Int64: writer.Write((long)item); break;
            case GgufValueType.Float64: writer.Write((double)item); break;
            default: throw new NotSupportedException($"{type} is not a scalar GGUF type.");
        }
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteFloats(Stream stream, ReadOnlySpan<float> values, GgmlType type)
    {
        if (type == GgmlType.F32)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        // Convert in chunks so a large tensor never needs a second full-size buffer.
        Span<Half> buffer = new Half[Math.Min(values.Length, 1 << 16)];
        for (var start = 0; start < values.Length; start += buffer.Length)
        {
            var chunk = values.Slice(start, Math.Min(buffer.Length, values.Length - start));
            for (var i = 0; i < chunk.Length; i++)
                buffer[i] = (Half)chunk[i];
            stream.Write(MemoryMarshal.AsBytes(buffer[..chunk.Length]));
        }
    }

    private static void Pad(CountingStream stream, int alignment)
    {
        var padding = (int)(AlignUp(stream.Position, alignment) - stream.Position);
        if (padding > 0)
            stream.Write(new byte[padding]);
    }

    internal static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    private sealed record PendingTensor(string Name, long[] Dimensions, GgmlType Type, Action<Stream> WriteData)
    {
        public long ByteSize => GgmlTypeInfo.ByteSize(Type, Dimensions.Aggregate(1L, (p, d) => checked(p * d)));
    }

    /// <summary>Tracks bytes written so padding works on streams that cannot seek.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public override long Position { get; set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Position += buffer.Length;
        }
    }
}
