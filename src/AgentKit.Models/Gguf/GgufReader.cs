using System.Text;

namespace AgentKit.Models.Gguf;

/// <summary>
/// Reads and checks the header of a GGUF file without touching tensor data: every size is checked against the
/// file length before anything is allocated, so a corrupt or truncated file yields a
/// <see cref="ModelLoadException"/> rather than a crash or a huge allocation.
/// </summary>
public static class GgufReader
{
    private const int MaxDimensions = 4;

    /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not GGUF, of an unsupported version, truncated or corrupt.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ModelLoadException(ModelLoadFailure.FileNotFound, path, $"Model path '{path}' is a directory, not a GGUF file.");
        if (!File.Exists(path))
            throw new ModelLoadException(ModelLoadFailure.FileNotFound, path, $"Model file '{path}' does not exist.");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Read(stream, path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelLoadException(ModelLoadFailure.FileNotFound, path, $"Model file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a GGUF header from a seekable stream; <paramref name="name"/> is used in error messages.</summary>
    public static GgufFile Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        var reader = new Reader(stream, name);
        try
        {
            return reader.ReadFile();
        }
        catch (EndOfStreamException ex)
        {
            throw new ModelLoadException(ModelLoadFailure.Truncated, name,
                $"Model file '{name}' is truncated: it ends inside the GGUF header ({stream.Length} bytes).", ex);
        }
    }

    private sealed class Reader(Stream stream, string name)
    {
        private readonly BinaryReader _reader = new(stream, Encoding.UTF8, leaveOpen: true);
        private readonly long _length = stream.Length;

        private long Remaining => _length - stream.Position;

        public GgufFile ReadFile()
        {
            if (_length < 4 || _reader.ReadUInt32() != GgufWriter.Magic)
            {
                stream.Position = 0;
                var head = _reader.ReadBytes(4);
                throw new ModelLoadException(ModelLoadFailure.NotGguf, name,
                    $"Model file '{name}' is not a GGUF file: it starts with {Describe(head)} instead of 'GGUF'.");
            }

            var version = _reader.ReadUInt32();
            if (version is not (2 or 3))
                throw new ModelLoadException(ModelLoadFailure.UnsupportedVersion, name,
                    $"Model file '{name}' is GGUF version {version}; only versions 2 and 3 are supported. Re-convert it with a current llama.cpp.");

            var tensorCount = _reader.ReadUInt64();
            var kvCount = _reader.ReadUInt64();
            // Each key/value takes at least 13 bytes and each tensor info at least 28: bigger counts cannot fit.
            if (kvCount > (ulong)Remaining / 13 || tensorCount > (ulong)Remaining / 28)
                throw Truncated($"its header announces {kvCount} metadata entries and {tensorCount} tensors, more than its {_length} bytes can hold");

            var metadata = new List<KeyValuePair<string, GgufValue>>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (ulong i = 0; i < kvCount; i++)
            {
                var key = ReadString();
                if (!keys.Add(key))
                    throw Corrupt($"metadata key '{key}' appears twice");
                var type = ReadType();
                metadata.Add(new(key, ReadValue(type, key, depth: 0)));
            }

            var alignment = GgufWriter.DefaultAlignment;
            var alignmentEntry = metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value;
            if (alignmentEntry is not null)
            {
                if (alignmentEntry.Type != GgufValueType.UInt32 || (uint)alignmentEntry.Value is 0 or > 1 << 20 || !uint.IsPow2((uint)alignmentEntry.Value))
                    throw Corrupt($"general.alignment is {alignmentEntry} ({alignmentEntry.Type}); it must be a UInt32 power of two");
                alignment = (int)(uint)alignmentEntry.Value;
            }

            var tensors = new List<GgufTensorInfo>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (ulong i = 0; i < tensorCount; i++)
            {
                var tensor = ReadTensorInfo(alignment);
                if (!names.Add(tensor.Name))
                    throw Corrupt($"tensor '{tensor.Name}' appears twice");
                tensors.Add(tensor);
            }

            // ggml's own reader demands that tensor data is packed in header order, each tensor aligned: an offset
            // anywhere else (overlapping another tensor, or leaving a gap) is a file it refuses, so it is refused here.
            var dataOffset = GgufWriter.AlignUp(stream.Position, alignment);
            long expectedOffset = 0;
            foreach (var tensor in tensors)
            {
                if (tensor.Offset != expectedOffset)
                    throw Corrupt($"tensor '{tensor.Name}' has data offset {tensor.Offset} where {expectedOffset} was expected (tensor data must follow the header order without overlaps or gaps)");
                var end = checked(dataOffset + tensor.Offset + tensor.ByteSize);
                if (end > _length)
                    throw Truncated($"tensor '{tensor.Name}' needs bytes up to {end} but the file has only {_length}");
                expectedOffset = GgufWriter.AlignUp(tensor.Offset + tensor.ByteSize, alignment);
            }
            return new GgufFile(version, metadata, tensors, alignment, dataOffset, _length);
        }

        private GgufTensorInfo ReadTensorInfo(int alignment)
        {
            var tensorName = ReadString();
            if (tensorName.Length == 0 || Encoding.UTF8.GetByteCount(tensorName) > GgufWriter.MaxTensorNameBytes)
                throw Corrupt($"a tensor name is empty or longer than ggml's {GgufWriter.MaxTensorNameBytes} bytes ('{Shorten(tensorName)}')");
            var dimensionCount = _reader.ReadUInt32();
            if (dimensionCount is < 1 or > MaxDimensions)
                throw Corrupt($"tensor '{tensorName}' has {dimensionCount} dimensions (1 to {MaxDimensions} allowed)");
            var dims = new long[dimensionCount];
            for (var d = 0; d < dims.Length; d++)
            {
                var dim = _reader.ReadUInt64();
                if (dim is 0 or > int.MaxValue)
                    throw Corrupt($"tensor '{tensorName}' has an impossible dimension {dim}");
                dims[d] = (long)dim;
            }
            var type = (GgmlType)_reader.ReadUInt32();
            if (!GgmlTypeInfo.IsKnown(type))
                throw Corrupt($"tensor '{tensorName}' has unknown ggml type {(uint)type}");
            var offset = _reader.ReadUInt64();
            if (offset > long.MaxValue / 2 || offset % (ulong)alignment != 0)
                throw Corrupt($"tensor '{tensorName}' has offset {offset}, impossible or not a multiple of the alignment {alignment}");
            // ggml stores every row as whole quantisation blocks, so the innermost dimension must be a multiple of one.
            if (dims[0] % GgmlTypeInfo.BlockSize(type) != 0)
                throw Corrupt($"tensor '{tensorName}' has rows of {dims[0]} elements, not a whole number of {type} blocks of {GgmlTypeInfo.BlockSize(type)}");
            var info = new GgufTensorInfo(tensorName, dims, type, (long)offset);
            try
            {
                _ = info.ByteSize;
            }
            catch (Exception ex) when (ex is ArgumentException or OverflowException)
            {
                throw Corrupt($"tensor '{tensorName}' has an impossible shape [{string.Join(", ", dims)}] for {type}");
            }
            return info;
        }

        private GgufValueType ReadType()
        {
            var type = (GgufValueType)_reader.ReadUInt32();
            if (type > GgufValueType.Float64)
                throw Corrupt($"metadata value type {(uint)type} is unknown");
            return type;
        }

        private GgufValue ReadValue(GgufValueType type, string key, int depth) => type switch
        {
            GgufValueType.UInt8 => GgufValue.UInt8(_reader.ReadByte()),
            GgufValueType.Int8 => GgufValue.Int8(_reader.ReadSByte()),
            GgufValueType.UInt16 => GgufValue.UInt16(_reader.ReadUInt16()),
            GgufValueType.Int16 => GgufValue.Int16(_reader.ReadInt16()),
            GgufValueType.UInt32 => GgufValue.UInt32(_reader.ReadUInt32()),
            GgufValueType.Int32 => GgufValue.Int32(_reader.ReadInt32()),
            GgufValueType.Float32 => GgufValue.Float32(_reader.ReadSingle()),
            GgufValueType.Bool => GgufValue.Bool(ReadBool(key)),
            GgufValueType.String => GgufValue.String(ReadString()),
            GgufValueType.UInt64 => GgufValue.UInt64(_reader.ReadUInt64()),
            GgufValueType.Int64 => GgufValue.Int64(_reader.ReadInt64()),
            GgufValueType.Float64 => GgufValue.Float64(_reader.ReadDouble()),
            GgufValueType.Array => ReadArray(key, depth),
            _ => throw Corrupt($"metadata '{key}' has unknown type {(uint)type}"),
        };

        private GgufValue ReadArray(string key, int depth)
        {
            if (depth > 4)
                throw Corrupt($"metadata '{key}' nests arrays more than 4 deep");
            var elementType = ReadType();
            var count = _reader.ReadUInt64();
            var minimumElementBytes = elementType switch
            {
                GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
                GgufValueType.UInt16 or GgufValueType.Int16 => 2,
                GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
                GgufValueType.Array => 12,
                _ => 8,
            };
            if (count > (ulong)Remaining / (ulong)minimumElementBytes)
                throw Truncated($"metadata '{key}' announces {count} array elements, more than the rest of the file can hold");
            if (count > (ulong)System.Array.MaxLength)
                throw Corrupt($"metadata '{key}' announces {count} array elements, more than one array can hold");
            var n = (int)count;
            return elementType switch
            {
                GgufValueType.UInt8 => GgufValue.Array(_reader.ReadBytes(n)),
                GgufValueType.Int8 => GgufValue.Array(Read(n, _reader.ReadSByte)),
                GgufValueType.UInt16 => GgufValue.Array(Read(n, _reader.ReadUInt16)),
                GgufValueType.Int16 => GgufValue.Array(Read(n, _reader.ReadInt16)),
                GgufValueType.UInt32 => GgufValue.Array(Read(n, _reader.ReadUInt32)),
                GgufValueType.Int32 => GgufValue.Array(Read(n, _reader.ReadInt32)),
                GgufValueType.Float32 => GgufValue.Array(Read(n, _reader.ReadSingle)),
                GgufValueType.Bool => GgufValue.Array(Read(n, () => ReadBool(key))),
                GgufValueType.String => GgufValue.Array(Read(n, ReadString)),
                GgufValueType.UInt64 => GgufValue.Array(Read(n, _reader.ReadUInt64)),
                GgufValueType.Int64 => GgufValue.Array(Read(n, _reader.ReadInt64)),
                GgufValueType.Float64 => GgufValue.Array(Read(n, _reader.ReadDouble)),
                _ => GgufValue.Array(Read(n, () => ReadArray(key, depth + 1))),
            };
        }

        private static T[] Read<T>(int count, Func<T> readOne)
        {
            var items = new T[count];
            for (var i = 0; i < count; i++)
                items[i] = readOne();
            return items;
        }

        private bool ReadBool(string key) => _reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            var b => throw Corrupt($"metadata '{key}' holds {b} where a bool (0 or 1) belongs"),
        };

        private string ReadString()
        {
            var length = _reader.ReadUInt64();
            if (length > (ulong)Remaining)
                throw Truncated($"a string of {length} bytes at offset {stream.Position - 8} runs past the end of the file");
            if (length > (ulong)System.Array.MaxLength)
                throw Corrupt($"a string of {length} bytes at offset {stream.Position - 8} is longer than any GGUF string can be");
            return Encoding.UTF8.GetString(_reader.ReadBytes((int)length));
        }

        private ModelLoadException Truncated(string detail) =>
            new(ModelLoadFailure.Truncated, name, $"Model file '{name}' is truncated or corrupt: {detail}.");

        private ModelLoadException Corrupt(string detail) =>
            new(ModelLoadFailure.Corrupt, name, $"Model file '{name}' has a corrupt GGUF header: {detail}.");

        private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

        private static string Describe(byte[] head) =>
            head.Length == 0 ? "nothing (the file is empty)" : $"bytes {Convert.ToHexString(head)}";
    }
}
